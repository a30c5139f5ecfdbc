"""Qt widgets, dialogs and *TableModel classes; nothing else in crmdesk touches Qt."""
