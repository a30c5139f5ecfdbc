<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ConvertLeadDialog</name>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Convert</source>
        <translation>转化</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Convert lead: {name}</source>
        <translation>转化线索：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Converting creates a customer, a contact and an opportunity from this lead.</source>
        <translation>转化将根据此线索创建一个客户、一个联系人和一个商机。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Opportunity name</source>
        <translation>商机名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Please correct the marked fields.</source>
        <translation>请更正标红的字段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>e.g. 12345.67</source>
        <translation>例如 12345.67</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>not set</source>
        <translation>未填写</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <location filename="../../crmdesk/views/field_editors.py"/>
        <source>Tick to enter a date; no tick leaves the date empty</source>
        <translation>勾选后填写日期；不勾选则日期留空</translation>
    </message>
</context>
<context>
    <name>GlobalSearchBox</name>
    <message>
        <location filename="../../crmdesk/views/global_search.py"/>
        <source>Nothing found</source>
        <translation>没有找到</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/global_search.py"/>
        <source>Search everything: name, pinyin, phone…</source>
        <translation>全局搜索：姓名、拼音、电话…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Import running</source>
        <translation>导入进行中</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>An import is still running. Stop it and close crmdesk? Nothing of the stopped import is kept.</source>
        <translation>仍有导入正在进行。要停止导入并关闭 crmdesk 吗？停止的导入不会保留任何数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Merge history…</source>
        <translation>合并记录(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Duplicates…</source>
        <translation>查重(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Find duplicates of this &amp;record</source>
        <translation>查找此记录的重复项(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Select a lead or a customer first.</source>
        <translation>请先选择一条线索或客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>{count} records imported</source>
        <translation>已导入 {count} 条记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>{count} rows exported to {path}</source>
        <translation>已导出 {count} 行到 {path}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;About crmdesk</source>
        <translation>关于 crmdesk(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Convert lead</source>
        <translation>转化线索(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Delete record</source>
        <translation>删除记录(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Find in list</source>
        <translation>在列表中查找(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Open record</source>
        <translation>打开记录(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>About crmdesk</source>
        <translation>关于 crmdesk</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Lead converted: customer and opportunity created.</source>
        <translation>线索已转化：已创建客户和商机。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Search &amp;everything</source>
        <translation>全局搜索(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>The new language is used from the next start of crmdesk.</source>
        <translation>新的语言将在下次启动 crmdesk 时生效。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Toolbar</source>
        <translation>工具栏</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>User: {name}</source>
        <translation>当前用户：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>crmdesk {version}
An offline-first sales CRM: leads, customers, opportunities and orders.</source>
        <translation>crmdesk {version}
离线优先的销售 CRM：线索、客户、商机和订单。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>crmdesk — Sales CRM</source>
        <translation>crmdesk — 销售客户管理</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>{count} customers</source>
        <translation>共 {count} 个客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Searching…</source>
        <translation>正在查找…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>{count} leads</source>
        <translation>共 {count} 条线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>{count} opportunities</source>
        <translation>共 {count} 个商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>{count} orders</source>
        <translation>共 {count} 个订单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Walk-in registration…</source>
        <translation>客流登记(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Lead r&amp;ules: scoring, assignment, duplicates…</source>
        <translation>线索规则：评分、分配、查重(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Today's test drives…</source>
        <translation>今日试驾(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Lost approvals…</source>
        <translation>战败审批(&amp;L)…</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <source>&amp;Log follow-up…</source>
        <translation>记录跟进(&amp;L)…</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Showroom rules &amp;report…</source>
        <translation>管理规则报告(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Stages…</source>
        <translation>阶段设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>销售看板</translation>
    </message>
    <message>
        <source>Analytics</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>Sales &amp;targets…</source>
        <translation>销售目标(&amp;T)…</translation>
    </message>
    <message>
        <source>Quotes</source>
        <translation>报价单</translation>
    </message>
    <message>
        <source>&amp;Company and discounts…</source>
        <translation>公司与折扣设置(&amp;C)…</translation>
    </message>
    <message>
        <source>Contracts</source>
        <translation>合同</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>回款</translation>
    </message>
    <message>
        <source>Contract te&amp;mplates…</source>
        <translation>合同模板(&amp;M)…</translation>
    </message>
    <message>
        <source>The start-up backup failed: {detail}</source>
        <translation>启动时的自动备份失败：{detail}</translation>
    </message>
    <message>
        <source>&amp;Backup and restore…</source>
        <translation>备份与恢复(&amp;B)…</translation>
    </message>
    <message>
        <source>Backup and restore</source>
        <translation>备份与恢复</translation>
    </message>
    <message>
        <source>The backup is in place (the file it replaced is kept as {name}). crmdesk closes now; start it again to work on the restored book.</source>
        <translation>备份已恢复（被替换的文件保留为 {name}）。crmdesk 现在关闭，请重新启动以使用恢复后的数据。</translation>
    </message>
    <message>
        <source>The database is damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>Checking the book found damage ({detail}). Nothing was backed up today, so the good backups stay. Restore one in File › Backup and restore… (the damaged file is kept), or salvage it with crmdesk salvage.</source>
        <translation>检查数据时发现损坏（{detail}）。今天没有做备份，以免覆盖完好的备份。请在“文件 › 备份与恢复…”中恢复一份备份（损坏的文件会保留），或用 crmdesk salvage 抢救数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Audit log…</source>
        <translation>审计日志(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Change password…</source>
        <translation>修改密码(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Encrypt database…</source>
        <translation>加密数据库(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Users and permissions…</source>
        <translation>用户与权限(&amp;U)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Role: {role}</source>
        <translation>角色：{role}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Your password is changed.</source>
        <translation>密码已修改。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Hub settings…</source>
        <translation>中心服务器设置(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>&amp;Sync now</source>
        <translation>立即同步(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/main_window.py"/>
        <source>Sync &amp;conflicts…</source>
        <translation>同步冲突(&amp;C)…</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Not qualified: score {score}</source>
        <translation>未达标：评分 {score}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>(by the assignment rules)</source>
        <translation>（按分配规则）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>(choose a reason)</source>
        <translation>（请选择原因）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>(no territory)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Assignments</source>
        <translation>分配记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>No assignment by the rules recorded.</source>
        <translation>没有按分配规则分配的记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Not qualified yet: score {score}, MQL from {threshold}</source>
        <translation>未达标：评分 {score}，达到 {threshold} 分成为营销合格线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Scoring and assignment</source>
        <translation>评分与分配</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>The scoring rules set the score; a score typed here replaces theirs.</source>
        <translation>评分由评分规则计算；在此填写的分数会取代规则的结果。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Your own words</source>
        <translation>补充说明</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>empty: by the scoring rules</source>
        <translation>留空则按评分规则计算</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>no rule matched (fallback)</source>
        <translation>无匹配规则（兜底分配）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>rule “{rule}”</source>
        <translation>规则“{rule}”</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>the public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>{at}: to {owner}, {rule}</source>
        <translation>{at}：分给 {owner}，{rule}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>{qualification} since {at}</source>
        <translation>{qualification}，自 {at} 起</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>{qualification}, accepted {at}</source>
        <translation>{qualification}，于 {at} 被销售接受</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>(nobody)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>(public pool)</source>
        <translation>（公海）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Contact: {name}</source>
        <translation>联系人：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Customer: {name}</source>
        <translation>客户：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Lead: {name}</source>
        <translation>线索：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>New contact</source>
        <translation>新建联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>New lead</source>
        <translation>新建线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>New opportunity</source>
        <translation>新建商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>New order</source>
        <translation>新建订单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Opportunity: {name}</source>
        <translation>商机：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Order: {name}</source>
        <translation>订单：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Please correct the marked fields.</source>
        <translation>请更正标红的字段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>Type a name, pinyin initials or phone digits</source>
        <translation>输入名称、拼音首字母或电话号码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>e.g. 12345.67</source>
        <translation>例如 12345.67</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>e.g. 13812345678</source>
        <translation>例如 13812345678</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>not set</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show the full value (the reveal is recorded in the audit log)</source>
        <translation>显示完整内容（查看操作会记入审计日志）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_form.py"/>
        <source>History…</source>
        <translation>变更记录…</translation>
    </message>
</context>
<context>
    <name>RecordTab</name>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Convert…</source>
        <translation>转化…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Find duplicates of this record…</source>
        <translation>查找此记录的重复项…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Only a marketing qualified lead (MQL) can be accepted.</source>
        <translation>只有营销合格线索（MQL）才能接受。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Only an invalid lead can be reopened.</source>
        <translation>只有无效线索才能重新激活。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Export the list</source>
        <translation>导出列表</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Save the list as it is filtered and sorted now (CSV or Excel)</source>
        <translation>按当前的筛选和排序保存列表（CSV 或 Excel）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Convert</source>
        <translation>转化</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Delete the {count} selected records?</source>
        <translation>确定删除选中的 {count} 条记录吗？</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Delete “{name}”?</source>
        <translation>确定删除“{name}”吗？</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Search name, pinyin initials, phone…</source>
        <translation>搜索姓名、拼音首字母、电话…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Show all columns</source>
        <translation>显示全部列</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Turn the lead into a customer, contact and opportunity</source>
        <translation>将线索转化为客户、联系人和商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>All qualifications</source>
        <translation>全部资格</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/record_tab.py"/>
        <source>Not qualified</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>Log follow-up…</source>
        <translation>记录跟进…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>&amp;Import as:</source>
        <translation>导入为(&amp;I)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>A CSV file (UTF-8 or GBK, as Excel saves it) or an Excel workbook (.xlsx).</source>
        <translation>CSV 文件（UTF-8 或 GBK，即 Excel 另存的格式）或 Excel 工作簿（.xlsx）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Import a file</source>
        <translation>导入文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Path of the file to import</source>
        <translation>要导入的文件路径</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Spreadsheets (*.csv *.xlsx *.txt *.tsv);;CSV (*.csv *.txt *.tsv);;Excel (*.xlsx);;All files (*)</source>
        <translation>表格文件 (*.csv *.xlsx *.txt *.tsv);;CSV (*.csv *.txt *.tsv);;Excel (*.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>The file cannot be read: {reason}</source>
        <translation>无法读取该文件：{reason}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>The file has no header row.</source>
        <translation>文件没有表头行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>The first row must hold the column headers. Headers in Chinese or English (name, mobile, company, source …) are recognised; the others can be mapped on the next page. Rows with problems are not imported: they are listed and written to an errors file you can fix and import again.</source>
        <translation>第一行须为列标题。中文或英文表头（姓名、手机、公司、来源…）可自动识别，其余的列可在下一页手动对应。有问题的行不会导入：它们会被列出并写入错误文件，修改后可再次导入。</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Customer external ID</source>
        <translation>客户外部编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Import records</source>
        <translation>导入数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Stage changed on</source>
        <translation>阶段变更日期</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>(do not import)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>(no header)</source>
        <translation>（无标题）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>(none saved yet)</source>
        <translation>（尚未保存）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Choose the field each column fills. Recognised columns are chosen already; the ones not recognised are marked.</source>
        <translation>为每一列选择要填入的字段。已识别的列已选好；未识别的列已标出。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Column in the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Create the customers the file names that do not exist yet</source>
        <translation>文件中的客户不存在时自动新建</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Dates like 3/5/2024:</source>
        <translation>3/5/2024 这类日期：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Day/month/year (5/3/2024)</source>
        <translation>日/月/年（5/3/2024）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Duplicates:</source>
        <translation>重复记录：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Import as</source>
        <translation>导入为</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Import as new records and flag them</source>
        <translation>作为新记录导入并标记</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Left out</source>
        <translation>不导入</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Line {line}: there is no field “{field}”.</source>
        <translation>第 {line} 行：没有“{field}”这个字段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Line {line}: write it as field: value in the file = our value.</source>
        <translation>第 {line} 行：请写成“字段: 文件中的值 = 本系统的值”。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Line {line}: “{value}” is not a value of {field}; use one of: {values}</source>
        <translation>第 {line} 行：“{value}”不是{field}的可选值；可用：{values}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Map a column to each required field: {fields}</source>
        <translation>请为每个必填字段指定一列：{fields}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Map the columns</source>
        <translation>对应列</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Mapped by hand</source>
        <translation>已手动对应</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Mapping “{name}” saved.</source>
        <translation>已保存映射“{name}”。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Merge: fill the empty fields of the existing record</source>
        <translation>合并：补全已有记录的空字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Month/day/year (3/5/2024)</source>
        <translation>月/日/年（3/5/2024）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Name for this mapping</source>
        <translation>映射名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>No coded column (source, status, stage …) is mapped.</source>
        <translation>尚未对应任何代码类的列（来源、状态、阶段…）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Not recognised</source>
        <translation>未识别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Not recognised: choose a field for this column, or it is not imported.</source>
        <translation>未识别：请为此列选择字段，否则不导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>One per line, field: value in the file = our value, e.g.
Source: Douyin = Web</source>
        <translation>每行一条，字段: 文件中的值 = 本系统的值，例如
线索来源: 抖音 = 网络</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Only unambiguous dates (2024-03-05, 2024/3/5)</source>
        <translation>只接受无歧义的日期（2024-03-05、2024/3/5）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Recognised</source>
        <translation>已识别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Required fields without a column: {fields}</source>
        <translation>以下必填字段尚无对应的列：{fields}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Sample values</source>
        <translation>示例值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Save mapping</source>
        <translation>保存映射</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Saved mapping:</source>
        <translation>已存映射：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Skip them</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>The mapping cannot be saved: {reason}</source>
        <translation>无法保存映射：{reason}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Type a name for the mapping first.</source>
        <translation>请先输入映射名称。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Value maps</source>
        <translation>值对应</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Values in the file's coded columns:</source>
        <translation>文件中代码类列的取值：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Year/month/day (2024/3/5)</source>
        <translation>年/月/日（2024/3/5）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>{count} not recognised: choose a field for them or leave them out.</source>
        <translation>{count} 列未识别：请为其选择字段，或不导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>{field} (required)</source>
        <translation>{field}（必填）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>{field} ({column}): {values}</source>
        <translation>{field}（{column}）：{values}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>{imported} of {total} columns are imported.</source>
        <translation>共 {total} 列，导入其中 {imported} 列。</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Customers created:</source>
        <translation>新建客户：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Duplicates skipped:</source>
        <translation>跳过的重复：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Import finished</source>
        <translation>导入完成</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Imported but flagged as possible duplicates:</source>
        <translation>已导入但标记为疑似重复：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Imported:</source>
        <translation>新导入：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>No row was rejected.</source>
        <translation>没有被拒绝的行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Only the first {count} problems are listed; the errors file has every rejected row.</source>
        <translation>只列出前 {count} 个问题；错误文件中有全部被拒绝的行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Open the errors file's folder</source>
        <translation>打开错误文件所在文件夹</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Rejected rows:</source>
        <translation>被拒绝的行：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Rejected:</source>
        <translation>拒绝：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Rows read:</source>
        <translation>读取行数：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>The rejected rows, with the reason in a last column, are in {path}. Fix them there and import that file again.</source>
        <translation>被拒绝的行（最后一列为原因）已写入 {path}。在该文件中修改后可再次导入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Updated:</source>
        <translation>已更新：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>{imported} new, {updated} updated, {rejected} rejected, in {seconds} s.</source>
        <translation>新导入 {imported} 条，更新 {updated} 条，拒绝 {rejected} 条，用时 {seconds} 秒。</translation>
    </message>
</context>
<context>
    <name>RunPage</name>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Cancel the import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Cancelling: undoing what was written…</source>
        <translation>正在取消：撤销已写入的内容…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Go back to change the mapping and try again.</source>
        <translation>可返回上一步修改对应后重试。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Importing</source>
        <translation>正在导入</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Importing {file} as {kind}.</source>
        <translation>正在将 {file} 导入为{kind}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>The rows are checked as the forms check them and written in one go: cancelling leaves the database as it was.</source>
        <translation>每一行都按表单的规则检查，并一次性写入：取消后数据库保持原样。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/import_wizard.py"/>
        <source>{count} rows read</source>
        <translation>已读取 {count} 行</translation>
    </message>
</context>
<context>
    <name>WalkInDialog</name>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Already in the book: log a revisit instead of a new lead?</source>
        <translation>已有记录：登记回访，而不是新建线索？</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Consultant</source>
        <translation>销售顾问</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Last follow-up: {time}</source>
        <translation>最近跟进：{time}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Log revisit</source>
        <translation>登记回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Mobile</source>
        <translation>手机号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Not followed up yet</source>
        <translation>尚未跟进</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Owner: nobody</source>
        <translation>负责人：无</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Owner: public pool</source>
        <translation>负责人：公海</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Owner: {name}</source>
        <translation>负责人：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Please correct the marked fields.</source>
        <translation>请更正标红的字段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Record this visit on the existing record; no new lead is made</source>
        <translation>把这次到店记在已有记录上，不新建线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Surname at least, e.g. Mr Zhang</source>
        <translation>至少填写姓氏，例如 张先生</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>Walk-in registration</source>
        <translation>客流登记</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>e.g. 13812345678</source>
        <translation>例如 13812345678</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>not set</source>
        <translation>未填写</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>same name</source>
        <translation>同名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/walk_in.py"/>
        <source>{title}: {value}</source>
        <translation>{title}：{value}</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../crmdesk/app.py"/>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <location filename="../../crmdesk/app.py"/>
        <source>The database {path} is damaged and cannot be opened ({detail}). Restore it from a backup (the backups folder beside it) or contact support.</source>
        <translation>数据库 {path} 已损坏，无法打开（{detail}）。请从备份（同目录下的 backups 文件夹）恢复，或联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/app.py"/>
        <source>The database {path} was written by a newer version of crmdesk. Install the newer version to open it; this version leaves the file untouched.</source>
        <translation>数据库 {path} 由更新版本的 crmdesk 写入。请安装新版本后再打开；当前版本不会改动该文件。</translation>
    </message>
    <message>
        <source>Salvage</source>
        <translation>抢救数据</translation>
    </message>
    <message>
        <source>Use the salvaged file in place of the damaged one?</source>
        <translation>用抢救出的文件替换已损坏的文件吗？</translation>
    </message>
    <message>
        <location filename="../../crmdesk/app.py"/>
        <source>The database {path} is encrypted and the key or passphrase does not open it.</source>
        <translation>数据库 {path} 已加密，所给的密钥或口令无法打开它。</translation>
    </message>
</context>
<context>
    <name>codes.customer.kind</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Company</source>
        <translation>企业</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Person</source>
        <translation>个人</translation>
    </message>
</context>
<context>
    <name>codes.customer.status</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Active</source>
        <translation>活跃</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Dormant</source>
        <translation>休眠</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Lost</source>
        <translation>战败</translation>
    </message>
</context>
<context>
    <name>codes.forecast_category</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Best case</source>
        <translation>最佳情况</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Commit</source>
        <translation>承诺</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Omitted</source>
        <translation>不计入</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Pipeline</source>
        <translation>管道</translation>
    </message>
</context>
<context>
    <name>codes.gender</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Male</source>
        <translation>男</translation>
    </message>
</context>
<context>
    <name>codes.intent_grade</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>A (within 15 days)</source>
        <translation>A 级（15 天内）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>B (within 30 days)</source>
        <translation>B 级（30 天内）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>C (later)</source>
        <translation>C 级（更晚）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>H (buys within 7 days)</source>
        <translation>H 级（7 天内购买）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>O (ordered)</source>
        <translation>O 级（已订车）</translation>
    </message>
</context>
<context>
    <name>codes.lead.source</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Ad keyword</source>
        <translation>广告关键词</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Campaign</source>
        <translation>市场活动</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Phone call</source>
        <translation>来电</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Referral</source>
        <translation>转介绍</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Trade show</source>
        <translation>展会</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Walk-in</source>
        <translation>展厅到店</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Web</source>
        <translation>网络</translation>
    </message>
</context>
<context>
    <name>codes.lead.status</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Contacted</source>
        <translation>已联系</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Converted</source>
        <translation>已转化</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Invalid</source>
        <translation>无效</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>New</source>
        <translation>新线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Qualified</source>
        <translation>已确认</translation>
    </message>
</context>
<context>
    <name>codes.opportunity.kind</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Standard</source>
        <translation>标准</translation>
    </message>
</context>
<context>
    <name>codes.opportunity.status</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Lost</source>
        <translation>输单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Won</source>
        <translation>赢单</translation>
    </message>
</context>
<context>
    <name>codes.order.status</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Delivered</source>
        <translation>已交付</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
</context>
<context>
    <name>codes.pipeline</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Project sales</source>
        <translation>项目销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Vehicle sales</source>
        <translation>整车销售</translation>
    </message>
</context>
<context>
    <name>codes.tier</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Tier A</source>
        <translation>A 类</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Tier B</source>
        <translation>B 类</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Tier C</source>
        <translation>C 类</translation>
    </message>
</context>
<context>
    <name>crash</name>
    <message>
        <location filename="../../crmdesk/views/crash.py"/>
        <source>The details were written to {path}. Please send that file to support.</source>
        <translation>详细信息已写入 {path}。请将该文件发送给技术支持。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/crash.py"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/crash.py"/>
        <source>crmdesk ran into an error it did not expect. The action you took may not have finished; your open forms are still open.</source>
        <translation>crmdesk 遇到了一个意外错误。刚才的操作可能没有完成；已打开的表单仍然保留。</translation>
    </message>
</context>
<context>
    <name>entities</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Leads</source>
        <translation>线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Opportunities</source>
        <translation>商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
</context>
<context>
    <name>entity</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Lead</source>
        <translation>线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Allocation</source>
        <translation>核销分配</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Analytics</source>
        <translation>分析</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Contract template</source>
        <translation>合同模板</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Follow-up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Installment</source>
        <translation>分期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Lost request</source>
        <translation>输单申请</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Order line</source>
        <translation>订单明细</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Payment</source>
        <translation>收款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Payment plan</source>
        <translation>回款计划</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Pipeline</source>
        <translation>销售流程</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Pool move</source>
        <translation>公海流转</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Price list</source>
        <translation>价目表</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Quote</source>
        <translation>报价单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Quote line</source>
        <translation>报价明细</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Quote step</source>
        <translation>报价审批步骤</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Receivables</source>
        <translation>应收款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Sales target</source>
        <translation>销售目标</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Showroom rules report</source>
        <translation>展厅规则报表</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Stage change</source>
        <translation>阶段变更</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Territory</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Test drive</source>
        <translation>试驾</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../crmdesk/views/errors.py"/>
        <source>Cannot do that</source>
        <translation>无法完成操作</translation>
    </message>
</context>
<context>
    <name>fields</name>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Ad keyword</source>
        <translation>广告关键词</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Campaign</source>
        <translation>市场活动</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Customer name</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Customer status</source>
        <translation>客户状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Customer tier</source>
        <translation>客户分级</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Customer type</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Delivery date</source>
        <translation>交付日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Expected close date</source>
        <translation>预计成交日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>External ID</source>
        <translation>外部编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Forecast category</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Intended product</source>
        <translation>意向产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Intended purchase date</source>
        <translation>意向购买日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Intent grade</source>
        <translation>意向级别</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Job title</source>
        <translation>职务</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Lead status</source>
        <translation>线索状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Next follow-up</source>
        <translation>下次跟进</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Opportunity name</source>
        <translation>商机名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Opportunity type</source>
        <translation>商机类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Order date</source>
        <translation>下单日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Order number</source>
        <translation>订单编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Order status</source>
        <translation>订单状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Pipeline</source>
        <translation>销售管道</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Primary contact</source>
        <translation>主要联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Probability (%)</source>
        <translation>赢单概率（%）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Products of interest</source>
        <translation>意向产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Resident ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Residential area</source>
        <translation>居住区域</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Source</source>
        <translation>线索来源</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Total</source>
        <translation>订单金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Visitors</source>
        <translation>到店人数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Why invalid</source>
        <translation>无效原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Why won</source>
        <translation>赢单原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Why lost</source>
        <translation>战败原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Won amount</source>
        <translation>赢单金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/labels.py"/>
        <source>Won on</source>
        <translation>赢单日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/labels.py"/>
        <source>Accepted by sales</source>
        <translation>销售接受时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/labels.py"/>
        <source>Budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <location filename="../../crmdesk/labels.py"/>
        <source>Company size (employees)</source>
        <translation>公司规模（人）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/labels.py"/>
        <source>MQL since</source>
        <translation>成为MQL时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/labels.py"/>
        <source>Qualification</source>
        <translation>线索资格</translation>
    </message>
    <message>
        <location filename="../../crmdesk/labels.py"/>
        <source>Territory</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Forecast category (manager)</source>
        <translation>预测类别（经理调整）</translation>
    </message>
</context>
<context>
    <name>services</name>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>--limit must be at least 1.</source>
        <translation>--limit 至少为 1。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>A customer cannot be merged into a lead; keep the customer instead.</source>
        <translation>客户不能合并到线索中；请保留客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>A later merge into this record is still in place; undo that one first.</source>
        <translation>之后还有一次合并到此记录的操作未撤销；请先撤销那一次。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>A record cannot be merged into itself.</source>
        <translation>记录不能合并到自身。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>A record is named twice.</source>
        <translation>同一条记录出现了两次。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>A score from 1 to 100.</source>
        <translation>分值须在 1 到 100 之间。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>A similarity from 50 to 100.</source>
        <translation>相似度须在 50 到 100 之间。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Choose at least one record to merge.</source>
        <translation>请至少选择一条要合并的记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Choose one of the records being merged.</source>
        <translation>请从参与合并的记录中选择。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Merge undone: {restored} is back, {rows} linked rows moved back.</source>
        <translation>已撤销合并：{restored} 已恢复，{rows} 条关联数据已移回。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Merged {merged} into {kept}: {fields} fields taken, {rows} linked rows moved.</source>
        <translation>已将 {merged} 合并到 {kept}：采用了 {fields} 个字段，移动了 {rows} 条关联数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Only long texts can be combined.</source>
        <translation>只有长文本可以合并保留。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Same mobile number</source>
        <translation>手机号相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Same name in the same city</source>
        <translation>同城同名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Same or similar name at the same company</source>
        <translation>同公司同名或名字相近</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Same unified social credit code</source>
        <translation>统一社会信用代码相同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>The duplicate rules must be a table of rules.</source>
        <translation>查重规则必须是一组规则。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>The kept record has been deleted or merged since; this merge cannot be undone.</source>
        <translation>保留的记录已被删除或再次合并，无法撤销这次合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>The merged record has changed since; this merge cannot be undone.</source>
        <translation>被合并的记录已发生变化，无法撤销这次合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>This merge has already been undone.</source>
        <translation>这次合并已经撤销过了。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>This record has already been merged into another one.</source>
        <translation>这条记录已经合并到另一条记录中。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Undo with: crmdesk unmerge {merge_id}</source>
        <translation>撤销方法：crmdesk unmerge {merge_id}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>Unknown duplicate rule.</source>
        <translation>未知的查重规则。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>groups to list</source>
        <translation>列出的组数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>groups to skip</source>
        <translation>跳过的组数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>list groups of likely duplicate leads and customers, best first</source>
        <translation>列出疑似重复的线索和客户组，相似度高的在前</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>merge a duplicate into the record to keep (newest non-empty values win)</source>
        <translation>把重复记录合并到要保留的记录（采用最新的非空值）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>the kept record's kind (default: found)</source>
        <translation>保留记录的类型（默认自动识别）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>the merged record's kind (default: found)</source>
        <translation>被合并记录的类型（默认自动识别）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>undo a merge</source>
        <translation>撤销一次合并</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>which records to compare (all: leads with customers too)</source>
        <translation>比较哪些记录（all：线索与客户一起比较）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/duplicates.py"/>
        <source>{shown} of {total} duplicate groups ({seconds:.1f} s)</source>
        <translation>共 {total} 组疑似重复，显示 {shown} 组（{seconds:.1f} 秒）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/entities.py"/>
        <source>Choose an existing record.</source>
        <translation>请选择一条已有的记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/entities.py"/>
        <source>Choose an existing user.</source>
        <translation>请选择一位已有的用户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/exporter.py"/>
        <source>Unknown export format {fmt}; use csv or xlsx.</source>
        <translation>未知的导出格式 {fmt}；请用 csv 或 xlsx。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/exporter.py"/>
        <source>Unknown encoding {encoding}.</source>
        <translation>未知的编码 {encoding}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>{count} rows written to {path}</source>
        <translation>已写入 {count} 行到 {path}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>export a list as CSV or Excel (the daily ERP feed: orders)</source>
        <translation>把列表导出为 CSV 或 Excel（每日 ERP 数据：orders）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>file to write (default: ENTITY-DATE.FORMAT)</source>
        <translation>输出文件（默认：类别-日期.格式）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>only rows the list's search box would show</source>
        <translation>只导出列表搜索框会显示的行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>only rows with this status code</source>
        <translation>只导出此状态代码的行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>CSV encoding (default UTF-8 with BOM, which Excel reads as Chinese)</source>
        <translation>CSV 编码（默认带 BOM 的 UTF-8，Excel 可正确显示中文）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>language of headers and labels</source>
        <translation>表头与标签的语言</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>--leads must be at least 1.</source>
        <translation>--leads 至少为 1。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>A lead becomes converted only by converting it.</source>
        <translation>线索只能通过“转化”操作变为已转化。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>A phone number may not contain letters.</source>
        <translation>电话号码不能包含字母。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/opportunities.py"/>
        <source>A won deal needs its amount.</source>
        <translation>赢单的商机需要填写金额。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>An invalid lead cannot be converted.</source>
        <translation>无效线索不能转化。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>At least {minimum}.</source>
        <translation>不能小于 {minimum}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>At most {count} characters.</source>
        <translation>最多 {count} 个字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>At most {maximum}.</source>
        <translation>不能大于 {maximum}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/opportunities.py"/>
        <source>Choose a stage.</source>
        <translation>请选择阶段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/customers.py"/>
        <source>Choose an existing customer.</source>
        <translation>请选择一个已有的客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>Contains characters that cannot be stored.</source>
        <translation>包含无法保存的字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/orders.py"/>
        <source>Delivery cannot be before the order date.</source>
        <translation>交付日期不能早于下单日期。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>Demo data built in {seconds:.1f} s:</source>
        <translation>演示数据已生成，用时 {seconds:.1f} 秒：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Enter a phone number or an e-mail address.</source>
        <translation>请填写电话号码或电子邮件地址。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>No database at {path}; build one with: crmdesk demo --db {path} --leads 1000000</source>
        <translation>{path} 处没有数据库；可以这样生成：crmdesk demo --db {path} --leads 1000000</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>No such pipeline.</source>
        <translation>没有这个销售管道。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>Not a date; write it as 2024-03-05.</source>
        <translation>不是有效日期；请按 2024-03-05 的格式填写。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>Not a phone number.</source>
        <translation>不是电话号码。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>Not a valid phone number (a mobile has 11 digits, e.g. 13812345678).</source>
        <translation>不是有效的电话号码（手机号为 11 位数字，例如 13812345678）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/customers.py"/>
        <source>Not a valid resident ID number (18 characters, check digit).</source>
        <translation>不是有效的身份证号（18 位，含校验位）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/customers.py"/>
        <source>Not a valid unified social credit code.</source>
        <translation>不是有效的统一社会信用代码。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>Not a whole number.</source>
        <translation>不是整数。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>Not an amount; write it as 12345.67.</source>
        <translation>不是有效金额；请按 12345.67 的格式填写。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>Not an e-mail address.</source>
        <translation>不是有效的电子邮件地址。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>Not one of the allowed values.</source>
        <translation>不是允许的选项。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>Not yes or no.</source>
        <translation>请填写“是”或“否”。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/errors.py"/>
        <source>Please correct the marked fields.</source>
        <translation>请更正标红的字段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/customers.py"/>
        <source>Say why the customer is lost or dormant.</source>
        <translation>请说明客户战败或休眠的原因。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/opportunities.py"/>
        <source>Say why the deal was lost.</source>
        <translation>请说明输单原因。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Say why the lead is invalid.</source>
        <translation>请说明线索无效的原因。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>The amount cannot be negative.</source>
        <translation>金额不能为负数。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>The amount is too large.</source>
        <translation>金额过大。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>The database {path} is damaged and cannot be opened ({detail}).</source>
        <translation>数据库 {path} 已损坏，无法打开（{detail}）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>The database {path} was written by a newer version of crmdesk; update crmdesk to open it.</source>
        <translation>数据库 {path} 由更新版本的 crmdesk 写入；请升级 crmdesk 后再打开。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>The date is out of range (1900-2100).</source>
        <translation>日期超出范围（1900-2100）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>The pipeline has no open stage.</source>
        <translation>该销售管道没有进行中的阶段。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/errors.py"/>
        <source>The record no longer exists (it may have been deleted).</source>
        <translation>该记录已不存在（可能已被删除）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/fields.py"/>
        <source>This field is required.</source>
        <translation>此项必填。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/demo.py"/>
        <source>Demo data goes into an empty database; this one already has leads.</source>
        <translation>演示数据只能写入空数据库；此数据库中已有线索。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>This lead has already been converted.</source>
        <translation>该线索已经转化过了。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>crmdesk: offline-first sales CRM</source>
        <translation>crmdesk：离线优先的销售 CRM</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>database file (default: the per-user database)</source>
        <translation>数据库文件（默认：当前用户的数据库）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>fill a database with demo data</source>
        <translation>向数据库填充演示数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>interface language for this start</source>
        <translation>本次启动使用的界面语言</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>measure the window and search</source>
        <translation>测量窗口和搜索的性能</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>no progress line</source>
        <translation>不显示进度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>number of leads (the rest in proportion)</source>
        <translation>线索数量（其余数据按比例生成）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>open the window (the default)</source>
        <translation>打开窗口（默认）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>print machine-readable JSON</source>
        <translation>输出机器可读的 JSON</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>render the main window offscreen to a PNG and exit</source>
        <translation>在后台将主窗口渲染为 PNG 后退出</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>search leads, customers, contacts, deals</source>
        <translation>搜索线索、客户、联系人和商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>{count} hits in {ms:.1f} ms</source>
        <translation>{count} 条结果，用时 {ms:.1f} 毫秒</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/walk_in.py"/>
        <source>Showroom revisit</source>
        <translation>到店回访</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/walk_in.py"/>
        <source>Visitors: {count}</source>
        <translation>到店人数：{count}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>A converted lead cannot be marked invalid.</source>
        <translation>已转化的线索不能标为无效。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>An invalid lead cannot be accepted; reopen it first.</source>
        <translation>无效线索不能接受，请先重新激活。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>Cannot read {path}: {detail}</source>
        <translation>无法读取 {path}：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Choose a reason from the list.</source>
        <translation>请从列表中选择原因。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Choose an existing team.</source>
        <translation>请选择已有的团队。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Choose an existing territory.</source>
        <translation>请选择已有的区域。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Choose an existing, active user.</source>
        <translation>请选择已有且在职的用户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Choose existing territories.</source>
        <translation>请选择已有的区域。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Choose the fallback: the creator, a user or the public pool.</source>
        <translation>请选择兜底方式：录入人、指定用户或公海。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Choose who gets the lead: a user, a team or the public pool.</source>
        <translation>请选择线索分给谁：用户、团队或公海。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Competitor</source>
        <translation>同行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Duplicate lead</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Enter a number from {minimum} to {maximum}.</source>
        <translation>请输入 {minimum} 到 {maximum} 之间的数。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Enter a whole number.</source>
        <translation>请输入整数。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Enter an amount.</source>
        <translation>请输入金额。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Give a label of at most 100 characters.</source>
        <translation>请填写名称（最多 100 个字符）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Give a list of bands.</source>
        <translation>请给出区间列表。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Give a list of rules.</source>
        <translation>请给出规则列表。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Give a list of values.</source>
        <translation>请给出取值列表。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Give a short code without a colon (at most 40 characters).</source>
        <translation>请填写不含冒号的简短代码（最多 40 个字符）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Give at least one reason.</source>
        <translation>请至少填写一个原因。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Give the rule a name.</source>
        <translation>请为规则命名。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Unknown condition “{name}”; use one of: {names}.</source>
        <translation>未知条件“{name}”；可用的条件：{names}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>Lead {name}: status {status}, score {score}, qualification {qualification}</source>
        <translation>线索 {name}：状态 {status}，评分 {score}，资格 {qualification}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>Name the JSON file to read.</source>
        <translation>请指定要读取的 JSON 文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Not a lead source.</source>
        <translation>不是线索来源。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Not interested</source>
        <translation>无意向</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Only a marketing qualified lead (MQL) can be accepted: this lead scores {score}, under the threshold of {threshold}.</source>
        <translation>只有营销合格线索（MQL）才能接受：此线索评分 {score}，低于阈值 {threshold}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Only an invalid lead can be reopened.</source>
        <translation>只有无效线索才能重新激活。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Other reason</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>Rules saved.</source>
        <translation>规则已保存。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Sales has already accepted this lead.</source>
        <translation>销售已接受此线索。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>The assignment rules must be an object.</source>
        <translation>分配规则必须是一个对象。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>The bands overlap: each band must start at or after the end of the one before.</source>
        <translation>区间重叠：每个区间的起点不能小于上一个区间的终点。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>The largest size must not be below the smallest.</source>
        <translation>最大规模不能小于最小规模。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>The scoring rules must be an object.</source>
        <translation>评分规则必须是一个对象。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>The team has no active members to share leads between.</source>
        <translation>该团队没有在职成员，无法轮流分配线索。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>The upper end must be above the lower end.</source>
        <translation>上限必须大于下限。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>This reason takes no words of your own; choose one that does (e.g. “other”).</source>
        <translation>此原因不能附加说明；需要说明请选择可附加说明的原因（如“其他”）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Two reasons have the code “{code}”.</source>
        <translation>有两个原因的代码都是“{code}”。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/lead_rules.py"/>
        <source>Two rules have the name “{name}”; give each its own.</source>
        <translation>有两条规则都叫“{name}”，请分别命名。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/leads.py"/>
        <source>Wrong number</source>
        <translation>空号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>a reason code of the team's list</source>
        <translation>团队原因列表中的代码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>lead lifecycle: rescore, mark invalid, reopen, accept an MQL</source>
        <translation>线索生命周期：重新评分、标为无效、重新激活、接受 MQL</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>mark a lead invalid</source>
        <translation>将线索标为无效</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>put an invalid lead back in work</source>
        <translation>重新激活无效线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>recompute every lead's score and MQL from the rules</source>
        <translation>按规则重新计算所有线索的评分和 MQL</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>sales accepts an MQL: it becomes an SQL</source>
        <translation>销售接受 MQL，使其成为 SQL</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>show or set the lead scoring and assignment rules</source>
        <translation>查看或设置线索评分和分配规则</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>the rules to store, as JSON</source>
        <translation>要保存的规则（JSON）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>your own words, for a reason that takes them (other)</source>
        <translation>附加说明（用于可附加说明的原因，如“其他”）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>{count} leads rescored in {seconds:.1f} s</source>
        <translation>{seconds:.1f} 秒内重新评分了 {count} 条线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>{path} is not valid JSON: {detail}</source>
        <translation>{path} 不是有效的 JSON：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Cannot write the errors file {path}: {detail}</source>
        <translation>无法写入错误文件 {path}：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>“{value}” is not one of: {choices}.</source>
        <translation>“{value}”不在可选范围内，可选：{choices}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Import errors</source>
        <translation>导入错误</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>No column for the required fields: {fields}. Map a column to each.</source>
        <translation>没有列对应必填字段：{fields}。请为每个字段指定一列。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>No customer with this name or external ID.</source>
        <translation>没有此名称或外部编号的客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>No saved mapping named {name}.</source>
        <translation>没有名为 {name} 的已保存映射。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Give the mapping a name.</source>
        <translation>请为映射起一个名称。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>No such stage in the pipeline; use a stage's code or name.</source>
        <translation>销售管道中没有此阶段；请使用阶段的代码或名称。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>No territory with this name.</source>
        <translation>没有此名称的区域。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>No user with this name.</source>
        <translation>没有此名称的用户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Not an Excel workbook (.xlsx): {name}</source>
        <translation>不是 Excel 工作簿（.xlsx）：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Old .xls workbooks cannot be read; save the file as .xlsx or CSV.</source>
        <translation>无法读取旧版 .xls 工作簿；请另存为 .xlsx 或 CSV。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Several customers have this name; use the customer's external ID.</source>
        <translation>有多个客户使用此名称；请使用客户的外部编号。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Suspected duplicate: {id}</source>
        <translation>疑似重复：{id}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>The errors file would overwrite the file being imported.</source>
        <translation>错误文件会覆盖正在导入的文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>The file has no header row.</source>
        <translation>文件没有表头行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>The file is not in one text encoding (near row {row}); save it again as UTF-8 or GB18030.</source>
        <translation>文件的文本编码不一致（约第 {row} 行）；请另存为 UTF-8 或 GB18030。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>The file {path} does not exist.</source>
        <translation>文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>The import was cancelled; nothing was imported.</source>
        <translation>导入已取消，未导入任何数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>The order of day and month is ambiguous; write the date as 2024-03-05 or state the date order.</source>
        <translation>无法确定日和月的顺序；请按 2024-03-05 的格式填写，或指定日期顺序。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>The saved mappings in {path} cannot be read.</source>
        <translation>无法读取 {path} 中保存的映射。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Unknown date order {order}; use dmy, mdy or ymd.</source>
        <translation>未知的日期顺序 {order}；请使用 dmy、mdy 或 ymd。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Unknown duplicate handling {mode}; use skip, merge or new.</source>
        <translation>未知的重复处理方式 {mode}；请使用 skip、merge 或 new。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Unknown field {field}; this kind of record has: {fields}</source>
        <translation>未知字段 {field}；此类记录的字段有：{fields}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Unknown kind of record {entity}; use leads, customers, contacts or opportunities.</source>
        <translation>未知的记录类型 {entity}；请使用 leads、customers、contacts 或 opportunities。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Write a column mapping as Header=field: {text}</source>
        <translation>列映射请写成 表头=字段：{text}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Write a value mapping as field:From=to: {text}</source>
        <translation>值映射请写成 字段:原值=新值：{text}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>... and more; see the errors file.</source>
        <translation>……还有更多，请查看错误文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>Columns not imported (map them with --map "Header=field"): {columns}</source>
        <translation>未导入的列（可用 --map "表头=字段" 映射）：{columns}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>Read {read} rows: {imported} imported, {updated} updated, {skipped} duplicates skipped, {rejected} rejected.</source>
        <translation>读取 {read} 行：导入 {imported} 行，更新 {updated} 行，跳过重复 {skipped} 行，拒绝 {rejected} 行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>Row {row}, {column}: {reason}</source>
        <translation>第 {row} 行，{column}：{reason}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>The rejected rows are in {path}: fix them there and import that file again.</source>
        <translation>被拒绝的行已写入 {path}：请在其中改正后再次导入该文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>a .csv (UTF-8 or GBK, any delimiter) or .xlsx file</source>
        <translation>.csv 文件（UTF-8 或 GBK，任意分隔符）或 .xlsx 文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>create the customers a row names that the book does not have</source>
        <translation>行中引用但系统中没有的客户将被创建</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>how to read dates like 3/5/2024</source>
        <translation>如何读取 3/5/2024 这样的日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>import leads, customers, contacts or opportunities from CSV or Excel</source>
        <translation>从 CSV 或 Excel 导入线索、客户、联系人或商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>language of the messages</source>
        <translation>提示信息的语言</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>put the column HEADER into FIELD (HEADER= leaves it out); repeatable</source>
        <translation>把 HEADER 列导入到 FIELD 字段（HEADER= 表示不导入该列）；可重复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>read the value FROM of FIELD as TO, e.g. stage:Won=won; repeatable</source>
        <translation>把 FIELD 字段的值 FROM 读作 TO，例如 stage:Won=won；可重复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>save this import's mappings as NAME</source>
        <translation>把本次导入的映射保存为 NAME</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>use the column and value mappings saved as NAME</source>
        <translation>使用保存为 NAME 的列映射和值映射</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>what to do with a duplicate: skip it, fill the existing record's empty fields, or import it as new and flag it (default: skip)</source>
        <translation>如何处理重复：跳过、补全已有记录的空字段，或作为新记录导入并标记（默认：跳过）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>where to write the rejected rows (default: FILE.errors beside the file)</source>
        <translation>被拒绝的行写到哪里（默认：原文件旁的 FILE.errors）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>{count} missing customers created.</source>
        <translation>已创建 {count} 个缺失的客户。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>{count} rows imported as new records are flagged as suspected duplicates.</source>
        <translation>{count} 行作为新记录导入，并标记为疑似重复。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>{count} rows read</source>
        <translation>已读取 {count} 行</translation>
    </message>
    <message>
        <source>A VIN has 17 letters or digits (no I, O or Q).</source>
        <translation>车架号为 17 位字母或数字（不含 I、O、Q）。</translation>
    </message>
    <message>
        <source>A driving licence number has 12 to 18 letters or digits.</source>
        <translation>驾驶证号为 12 至 18 位字母或数字。</translation>
    </message>
    <message>
        <source>A lost request for this opportunity is already waiting for a manager.</source>
        <translation>该商机已有一份战败申请在等待经理审批。</translation>
    </message>
    <message>
        <source>A resident ID number has 18 characters.</source>
        <translation>身份证号为 18 位。</translation>
    </message>
    <message>
        <source>Cancelled: {reason}</source>
        <translation>已取消：{reason}</translation>
    </message>
    <message>
        <source>Choose a vehicle of the catalog.</source>
        <translation>请从产品目录中选择车型。</translation>
    </message>
    <message>
        <source>Choose the customer.</source>
        <translation>请选择客户。</translation>
    </message>
    <message>
        <source>Choose the vehicle (model, plate or VIN).</source>
        <translation>请选择试驾车辆（车型、车牌或车架号）。</translation>
    </message>
    <message>
        <source>Each reason needs a code and a Chinese label.</source>
        <translation>每个原因都需要代码和中文名称。</translation>
    </message>
    <message>
        <source>Give the odometer reading in whole kilometres.</source>
        <translation>请填写里程表读数（整公里）。</translation>
    </message>
    <message>
        <source>Give the plate or the VIN of the car that goes out.</source>
        <translation>请填写出车车辆的车牌号或车架号。</translation>
    </message>
    <message>
        <source>Not a valid resident ID number (the check digit or the birth date is wrong).</source>
        <translation>身份证号无效（校验位或出生日期有误）。</translation>
    </message>
    <message>
        <source>Only a booked test drive can be cancelled (this one is {status}).</source>
        <translation>只有已预约的试驾可以取消（此试驾状态：{status}）。</translation>
    </message>
    <message>
        <source>Only a booked test drive can be changed.</source>
        <translation>只有已预约的试驾可以修改。</translation>
    </message>
    <message>
        <source>Only a booked test drive can go out (this one is {status}).</source>
        <translation>只有已预约的试驾可以出车（此试驾状态：{status}）。</translation>
    </message>
    <message>
        <source>Only a dormant customer can be reactivated.</source>
        <translation>只有休眠客户可以重新激活。</translation>
    </message>
    <message>
        <source>Only a manager can approve or reject a lost request.</source>
        <translation>只有经理可以批准或驳回战败申请。</translation>
    </message>
    <message>
        <source>Only a test drive that is out can be returned (this one is {status}).</source>
        <translation>只有试驾中的车辆可以还车（此试驾状态：{status}）。</translation>
    </message>
    <message>
        <source>Only an open opportunity can be given up.</source>
        <translation>只有进行中的商机可以申请战败。</translation>
    </message>
    <message>
        <source>Opportunity lost</source>
        <translation>商机战败</translation>
    </message>
    <message>
        <source>Reactivated</source>
        <translation>重新激活</translation>
    </message>
    <message>
        <source>Required before the car goes out.</source>
        <translation>出车前必须填写。</translation>
    </message>
    <message>
        <source>Say in a few words why the deal is lost.</source>
        <translation>请简要说明战败原因。</translation>
    </message>
    <message>
        <source>Say why the test drive is cancelled.</source>
        <translation>请说明取消试驾的原因。</translation>
    </message>
    <message>
        <source>Submit a lost request; the deal is lost once a manager approves it.</source>
        <translation>请提交战败申请，经理批准后才能战败</translation>
    </message>
    <message>
        <source>Tell the rep why the request is rejected.</source>
        <translation>请告诉销售顾问驳回的原因。</translation>
    </message>
    <message>
        <source>Test drive: {car}</source>
        <translation>试乘试驾：{car}</translation>
    </message>
    <message>
        <source>The car cannot come back before it went out.</source>
        <translation>还车时间不能早于出车时间。</translation>
    </message>
    <message>
        <source>The end reading cannot be below the start reading ({start} km).</source>
        <translation>还车里程不能小于出车里程（{start} 公里）。</translation>
    </message>
    <message>
        <source>The odometer reading is out of range.</source>
        <translation>里程表读数超出范围。</translation>
    </message>
    <message>
        <source>The opportunity is no longer open; the request cannot be approved.</source>
        <translation>该商机已不在进行中，无法批准此申请。</translation>
    </message>
    <message>
        <source>The opportunity's pipeline has no lost stage.</source>
        <translation>该商机的销售管道没有战败阶段。</translation>
    </message>
    <message>
        <source>This car ({car}) is already out on a test drive with {customer}; it must come back first.</source>
        <translation>该车辆（{car}）正由 {customer} 试驾中，须先还车。</translation>
    </message>
    <message>
        <source>This lost request was already decided.</source>
        <translation>此战败申请已审批。</translation>
    </message>
    <message>
        <source>{km} km driven</source>
        <translation>行驶 {km} 公里</translation>
    </message>
    <message>
        <source>Not a date and time; write it as 2024-03-05 14:30.</source>
        <translation>日期时间格式有误，请写成 2024-03-05 14:30。</translation>
    </message>
    <message>
        <source>  {name} ({id}): {reason}</source>
        <translation>  {name}（{id}）：{reason}</translation>
    </message>
    <message>
        <source>Already claimed by {name}.</source>
        <translation>已被{name}领取。</translation>
    </message>
    <message>
        <source>At most {n} characters.</source>
        <translation>最多 {n} 个字符。</translation>
    </message>
    <message>
        <source>Choose value (won amounts) or potential (open amounts × probability).</source>
        <translation>请选择按价值（赢单金额）或按潜力（进行中金额 × 概率）。</translation>
    </message>
    <message>
        <source>Enter a whole number from {low} to {high}.</source>
        <translation>请输入 {low} 到 {high} 之间的整数。</translation>
    </message>
    <message>
        <source>Enter an amount in yuan of at least 0.</source>
        <translation>请输入不小于 0 的金额（元）。</translation>
    </message>
    <message>
        <source>Leave empty for none, or enter a whole number from {low} to {high}.</source>
        <translation>留空表示不限，或输入 {low} 到 {high} 之间的整数。</translation>
    </message>
    <message>
        <source>No follow-up for {days} days: back to the public pool automatically.</source>
        <translation>{days} 天未跟进，自动回收到公海。</translation>
    </message>
    <message>
        <source>No follow-up for {days} days: back to the public pool in {left} days.</source>
        <translation>已 {days} 天未跟进，{left} 天后将回收到公海。</translation>
    </message>
    <message>
        <source>No user is called {name}.</source>
        <translation>没有用户名为 {name} 的用户。</translation>
    </message>
    <message>
        <source>Only a manager can assign customers to a rep.</source>
        <translation>只有经理可以分配客户。</translation>
    </message>
    <message>
        <source>Only a manager can change the public pool rules.</source>
        <translation>只有经理可以修改公海规则。</translation>
    </message>
    <message>
        <source>Only a manager can change the tier rules.</source>
        <translation>只有经理可以修改客户分级规则。</translation>
    </message>
    <message>
        <source>Only the customer's owner or a manager can release it.</source>
        <translation>只有客户负责人或经理可以释放该客户。</translation>
    </message>
    <message>
        <source>Say why the customers go back to the public pool.</source>
        <translation>请填写释放到公海的原因。</translation>
    </message>
    <message>
        <source>The A threshold must be above the B threshold.</source>
        <translation>A 类起点必须高于 B 类起点。</translation>
    </message>
    <message>
        <source>The caps must be an object: role -&gt; number of customers.</source>
        <translation>名下上限须为对象：角色 -&gt; 客户数。</translation>
    </message>
    <message>
        <source>The customer is already in the public pool.</source>
        <translation>该客户已在公海中。</translation>
    </message>
    <message>
        <source>The pool rules must be a JSON object.</source>
        <translation>公海规则必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>The reclaim days must be an object: tier -&gt; days.</source>
        <translation>回收天数须为对象：分级 -&gt; 天数。</translation>
    </message>
    <message>
        <source>The tier rules must be a JSON object.</source>
        <translation>分级规则必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>The warning must come before the reclaim: fewer days than the shortest reclaim period ({days}).</source>
        <translation>提醒须早于回收：提醒天数应少于最短的回收天数（{days}）。</translation>
    </message>
    <message>
        <source>Unknown role {role}.</source>
        <translation>未知角色 {role}。</translation>
    </message>
    <message>
        <source>You already own this customer.</source>
        <translation>该客户已在您名下。</translation>
    </message>
    <message>
        <source>You gave this customer up on {date}; you can claim it again from {until}.</source>
        <translation>您于 {date} 放弃了该客户，{until} 起才能再次领取。</translation>
    </message>
    <message>
        <source>You have claimed {count} customers today, the daily limit ({limit}).</source>
        <translation>您今日已领取 {count} 个客户，已达每日上限（{limit}）。</translation>
    </message>
    <message>
        <source>You own {owned} customers, the most your role may hold ({cap}).</source>
        <translation>您名下已有 {owned} 个客户，已达您角色的上限（{cap}）。</translation>
    </message>
    <message>
        <source>a customer's pool moves, newest first</source>
        <translation>客户的公海流转记录，最新在前</translation>
    </message>
    <message>
        <source>a manager gives customers to a user</source>
        <translation>经理把客户分配给用户</translation>
    </message>
    <message>
        <source>act as this user (default: the local user)</source>
        <translation>以该用户身份操作（默认：本机用户）</translation>
    </message>
    <message>
        <source>claim customers from the pool</source>
        <translation>从公海领取客户</translation>
    </message>
    <message>
        <source>customer tiers: apply, show or set the rules</source>
        <translation>客户分级：重新分级、查看或设置规则</translation>
    </message>
    <message>
        <source>customers in the public pool</source>
        <translation>公海中的客户</translation>
    </message>
    <message>
        <source>give customers back to the pool</source>
        <translation>把客户释放到公海</translation>
    </message>
    <message>
        <source>only customers the search box would show</source>
        <translation>只列出搜索框会显示的客户</translation>
    </message>
    <message>
        <source>show or set the pool rules</source>
        <translation>查看或设置公海规则</translation>
    </message>
    <message>
        <source>the public pool: list, claim, release, assign, maintain, rules</source>
        <translation>公海：列表、领取、释放、分配、维护、规则</translation>
    </message>
    <message>
        <source>the user who gets them</source>
        <translation>接收客户的用户</translation>
    </message>
    <message>
        <source>warn owners and put customers not followed up back in the pool</source>
        <translation>提醒负责人，并把未跟进的客户回收到公海</translation>
    </message>
    <message>
        <source>why they go back</source>
        <translation>释放原因</translation>
    </message>
    <message>
        <source>{count} customers assigned to {name}</source>
        <translation>已将 {count} 个客户分配给{name}</translation>
    </message>
    <message>
        <source>{count} customers changed tier ({seconds} s)</source>
        <translation>{count} 个客户的分级已变更（{seconds} 秒）</translation>
    </message>
    <message>
        <source>{count} customers claimed</source>
        <translation>已领取 {count} 个客户</translation>
    </message>
    <message>
        <source>{count} customers in the public pool</source>
        <translation>公海共 {count} 个客户</translation>
    </message>
    <message>
        <source>{count} customers released to the public pool</source>
        <translation>已将 {count} 个客户释放到公海</translation>
    </message>
    <message>
        <source>{name} already owns this customer.</source>
        <translation>该客户已在{name}名下。</translation>
    </message>
    <message>
        <source>{name} now owns {owned} customers, over the cap of {cap}.</source>
        <translation>{name}名下现有 {owned} 个客户，已超过上限 {cap}。</translation>
    </message>
    <message>
        <source>{warned} owners warned, {reclaimed} customers back in the public pool ({seconds} s)</source>
        <translation>已提醒 {warned} 个客户的负责人，{reclaimed} 个客户回收到公海（{seconds} 秒）</translation>
    </message>
    <message>
        <source>48-hour call after delivery</source>
        <translation>交车48小时回访</translation>
    </message>
    <message>
        <source>A follow-up done cannot be in the future.</source>
        <translation>已完成的跟进不能晚于当前时间。</translation>
    </message>
    <message>
        <source>A follow-up is about a lead or a customer, not both.</source>
        <translation>一条跟进只能对应线索或客户之一。</translation>
    </message>
    <message>
        <source>A planned follow-up needs its date.</source>
        <translation>计划的跟进需要填写时间。</translation>
    </message>
    <message>
        <source>Between {low} and {high} days.</source>
        <translation>应在 {low} 到 {high} 天之间。</translation>
    </message>
    <message>
        <source>Birthday greeting</source>
        <translation>生日祝福</translation>
    </message>
    <message>
        <source>Call after delivery, week {week}</source>
        <translation>交车后第 {week} 周回访</translation>
    </message>
    <message>
        <source>Choose a contact of this customer.</source>
        <translation>请选择该客户的联系人。</translation>
    </message>
    <message>
        <source>Choose an existing lead.</source>
        <translation>请选择已有的线索。</translation>
    </message>
    <message>
        <source>Choose an existing opportunity.</source>
        <translation>请选择已有的商机。</translation>
    </message>
    <message>
        <source>Choose the customer, lead or opportunity this is about.</source>
        <translation>请选择这条跟进对应的客户、线索或商机。</translation>
    </message>
    <message>
        <source>Customer: {name}</source>
        <translation>客户：{name}</translation>
    </message>
    <message>
        <source>Dragon Boat Festival</source>
        <translation>端午节</translation>
    </message>
    <message>
        <source>Expected an object of intent grades and days.</source>
        <translation>应为意向级别与天数的对象。</translation>
    </message>
    <message>
        <source>First revisit</source>
        <translation>首次回访</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>Follow-up by intent grade</source>
        <translation>按意向级别回访</translation>
    </message>
    <message>
        <source>Intent grade cadence</source>
        <translation>意向级别回访周期</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会面</translation>
    </message>
    <message>
        <source>Mid-Autumn Festival</source>
        <translation>中秋节</translation>
    </message>
    <message>
        <source>National Day</source>
        <translation>国庆节</translation>
    </message>
    <message>
        <source>New Year's Day</source>
        <translation>元旦</translation>
    </message>
    <message>
        <source>Only a follow-up done has a next one.</source>
        <translation>只有已完成的跟进才能安排下次跟进。</translation>
    </message>
    <message>
        <source>Opportunity: {name}</source>
        <translation>商机：{name}</translation>
    </message>
    <message>
        <source>Owner: {name}</source>
        <translation>负责人：{name}</translation>
    </message>
    <message>
        <source>Phone follow-up</source>
        <translation>电话回访</translation>
    </message>
    <message>
        <source>Phone: {phone}</source>
        <translation>电话：{phone}</translation>
    </message>
    <message>
        <source>Plan: {rule}</source>
        <translation>计划：{rule}</translation>
    </message>
    <message>
        <source>Showroom visit</source>
        <translation>到店接待</translation>
    </message>
    <message>
        <source>Spring Festival</source>
        <translation>春节</translation>
    </message>
    <message>
        <source>Text message follow-up</source>
        <translation>短信回访</translation>
    </message>
    <message>
        <source>The next follow-up must be in the future.</source>
        <translation>下次跟进时间必须晚于当前时间。</translation>
    </message>
    <message>
        <source>The opportunity belongs to another customer.</source>
        <translation>该商机属于其他客户。</translation>
    </message>
    <message>
        <source>This follow-up is already done or cancelled.</source>
        <translation>这条跟进已完成或已取消。</translation>
    </message>
    <message>
        <source>Unknown setting.</source>
        <translation>未知的设置项。</translation>
    </message>
    <message>
        <source>WeChat follow-up</source>
        <translation>微信回访</translation>
    </message>
    <message>
        <source>Weekly call after delivery</source>
        <translation>交车后每周回访</translation>
    </message>
    <message>
        <source>crmdesk follow-ups</source>
        <translation>crmdesk 跟进计划</translation>
    </message>
    <message>
        <source>{holiday} greeting</source>
        <translation>{holiday}问候</translation>
    </message>
    <message>
        <source>print a management report (rules: the showroom rules per consultant)</source>
        <translation>输出管理报表（rules：各销售顾问的展厅管理规则执行情况）</translation>
    </message>
    <message>
        <source>the report: {kinds}</source>
        <translation>报表：{kinds}</translation>
    </message>
    <message>
        <source>only this consultant's records</source>
        <translation>只统计该销售顾问的记录</translation>
    </message>
    <message>
        <source>list the records that broke this rule instead</source>
        <translation>改为列出违反该规则的记录</translation>
    </message>
    <message>
        <source>records to list with --rule</source>
        <translation>配合 --rule 列出的记录数</translation>
    </message>
    <message>
        <source>records to skip with --rule</source>
        <translation>配合 --rule 跳过的记录数</translation>
    </message>
    <message>
        <source>No user named {username}.</source>
        <translation>没有用户名为 {username} 的用户。</translation>
    </message>
    <message>
        <source>Consultant</source>
        <translation>销售顾问</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>拜访</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Claimed from the public pool</source>
        <translation>从公海领取</translation>
    </message>
    <message>
        <source>Released to the public pool</source>
        <translation>释放到公海</translation>
    </message>
    <message>
        <source>Taken back to the public pool</source>
        <translation>回收到公海</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Warned: goes back to the pool soon</source>
        <translation>回收预警：即将回收到公海</translation>
    </message>
    <message>
        <source>Lost: to the public pool</source>
        <translation>战败：转入公海</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签订</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>履行中</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Terminated</source>
        <translation>已终止</translation>
    </message>
    <message>
        <source>{km} km</source>
        <translation>{km} 公里</translation>
    </message>
    <message>
        <source>Test drive</source>
        <translation>试乘试驾</translation>
    </message>
    <message>
        <source>Opportunity created: {name}</source>
        <translation>新建商机：{name}</translation>
    </message>
    <message>
        <source>Stage: {stage}</source>
        <translation>阶段：{stage}</translation>
    </message>
    <message>
        <source>Lead merged in</source>
        <translation>合并了线索</translation>
    </message>
    <message>
        <source>Duplicate customer merged in</source>
        <translation>合并了重复客户</translation>
    </message>
    <message>
        <source>Undone</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>{old} → {new}</source>
        <translation>{old} → {new}</translation>
    </message>
    <message>
        <source>public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <source>Lost request: {reason}</source>
        <translation>战败申请：{reason}</translation>
    </message>
    <message>
        <source>Quote {number} (version {version})</source>
        <translation>报价单 {number}（第 {version} 版）</translation>
    </message>
    <message>
        <source>Contract {number}</source>
        <translation>合同 {number}</translation>
    </message>
    <message>
        <source>Order {number}</source>
        <translation>订单 {number}</translation>
    </message>
    <message>
        <source>Delivered {day}</source>
        <translation>{day} 交车</translation>
    </message>
    <message>
        <source>Payment received</source>
        <translation>收到回款</translation>
    </message>
    <message>
        <source>Choose roles from the list: {roles}.</source>
        <translation>请从以下角色中选择：{roles}。</translation>
    </message>
    <message>
        <source>No first revisit within {days} days</source>
        <translation>{days} 天内未首次回访</translation>
    </message>
    <message>
        <source>Overdue planned activities</source>
        <translation>逾期未完成的跟进</translation>
    </message>
    <message>
        <source>Past the intended purchase date</source>
        <translation>超过预计购车日期</translation>
    </message>
    <message>
        <source>Won without a test drive</source>
        <translation>成交但无试驾记录</translation>
    </message>
    <message>
        <source>Delivered, record incomplete after 24 h</source>
        <translation>交车超过 24 小时资料不全</translation>
    </message>
    <message>
        <source>(nobody: public pool)</source>
        <translation>(无人:公海)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Won</source>
        <translation>赢单</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>输单</translation>
    </message>
    <message>
        <source>{count} won deals</source>
        <translation>{count} 个赢单商机</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>city</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>sale date</source>
        <translation>销售日期</translation>
    </message>
    <message>
        <source>VIN</source>
        <translation>车架号</translation>
    </message>
    <message>
        <source>Missing: {fields}</source>
        <translation>缺少：{fields}</translation>
    </message>
    <message>
        <source>Customer {name}: status {status}</source>
        <translation>客户 {name}：状态 {status}</translation>
    </message>
    <message>
        <source>a code of the team's lost reasons</source>
        <translation>团队战败原因列表中的代码</translation>
    </message>
    <message>
        <source>a dormant customer back in work</source>
        <translation>重新激活休眠客户</translation>
    </message>
    <message>
        <source>a vehicle of the catalog</source>
        <translation>产品目录中的车型</translation>
    </message>
    <message>
        <source>approve a lost request</source>
        <translation>批准战败申请</translation>
    </message>
    <message>
        <source>ask a manager to mark an opportunity lost</source>
        <translation>提交战败申请，等待经理审批</translation>
    </message>
    <message>
        <source>book a test drive</source>
        <translation>预约试驾</translation>
    </message>
    <message>
        <source>booked for (local time; default now)</source>
        <translation>预约时间（本地时间；默认为现在）</translation>
    </message>
    <message>
        <source>booked for this day</source>
        <translation>预约在这一天的</translation>
    </message>
    <message>
        <source>cancel a booked test drive</source>
        <translation>取消已预约的试驾</translation>
    </message>
    <message>
        <source>check the car out (start odometer)</source>
        <translation>出车（出车里程）</translation>
    </message>
    <message>
        <source>customer actions: reactivate a dormant customer</source>
        <translation>客户操作：重新激活休眠客户</translation>
    </message>
    <message>
        <source>default: the customer's name</source>
        <translation>默认：客户姓名</translation>
    </message>
    <message>
        <source>default: the customer's one open opportunity</source>
        <translation>默认：客户唯一进行中的商机</translation>
    </message>
    <message>
        <source>default: the customer's phone</source>
        <translation>默认：客户电话</translation>
    </message>
    <message>
        <source>default: you</source>
        <translation>默认：你自己</translation>
    </message>
    <message>
        <source>list test drives</source>
        <translation>列出试驾</translation>
    </message>
    <message>
        <source>lost requests: request, approve, reject, pending, reasons</source>
        <translation>战败申请：申请、批准、驳回、待审批、原因列表</translation>
    </message>
    <message>
        <source>reject a lost request</source>
        <translation>驳回战败申请</translation>
    </message>
    <message>
        <source>test drives: book, check out, return, cancel, list</source>
        <translation>试乘试驾：预约、出车、还车、取消、列表</translation>
    </message>
    <message>
        <source>the car is back (end odometer)</source>
        <translation>还车（还车里程）</translation>
    </message>
    <message>
        <source>the driver's resident ID number (default: the customer's)</source>
        <translation>驾驶人身份证号（默认：客户的）</translation>
    </message>
    <message>
        <source>the driving licence number</source>
        <translation>驾驶证号</translation>
    </message>
    <message>
        <source>the lost requests waiting</source>
        <translation>待审批的战败申请</translation>
    </message>
    <message>
        <source>the team's lost reasons</source>
        <translation>团队的战败原因列表</translation>
    </message>
    <message>
        <source>your own words (required for other)</source>
        <translation>补充说明（原因为“其他”时必填）</translation>
    </message>
    <message>
        <source>Cadence saved.</source>
        <translation>回访周期已保存。</translation>
    </message>
    <message>
        <source>Follow-up done.</source>
        <translation>跟进已完成。</translation>
    </message>
    <message>
        <source>Overdue {overdue}, due today {today}</source>
        <translation>逾期 {overdue}，今日到期 {today}</translation>
    </message>
    <message>
        <source>days ahead (default 30)</source>
        <translation>向后天数（默认 30）</translation>
    </message>
    <message>
        <source>follow-ups: today's list, done, calendar export, cadence</source>
        <translation>跟进：今日列表、完成、导出日历、回访周期</translation>
    </message>
    <message>
        <source>mark a planned follow-up done with its result</source>
        <translation>填写结果并将计划的跟进标记为完成</translation>
    </message>
    <message>
        <source>plan the next follow-up on this day</source>
        <translation>在这一天安排下次跟进</translation>
    </message>
    <message>
        <source>rows of each list</source>
        <translation>每个列表的行数</translation>
    </message>
    <message>
        <source>show or set the follow-up days per intent grade</source>
        <translation>查看或设置各意向级别的回访天数</translation>
    </message>
    <message>
        <source>the cadence to store, as JSON</source>
        <translation>要保存的回访周期（JSON）</translation>
    </message>
    <message>
        <source>the next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>what came of it</source>
        <translation>跟进结果</translation>
    </message>
    <message>
        <source>what is overdue and due today</source>
        <translation>逾期和今日到期的跟进</translation>
    </message>
    <message>
        <source>whose follow-ups (default: yours)</source>
        <translation>谁的跟进（默认：你的）</translation>
    </message>
    <message>
        <source>write planned follow-ups to an .ics calendar file</source>
        <translation>将计划的跟进写入 .ics 日历文件</translation>
    </message>
    <message>
        <source>{count} follow-ups written to {path}</source>
        <translation>已将 {count} 条跟进写入 {path}</translation>
    </message>
    <message>
        <source>Reactivated only with a claim from the public pool, which was refused: {reason}</source>
        <translation>重新激活需要从公海领取该客户，但领取被拒绝：{reason}</translation>
    </message>
    <message>
        <source>Say true or false.</source>
        <translation>请填写 true 或 false。</translation>
    </message>
    <message>
        <source>First contact</source>
        <translation>首次联系</translation>
    </message>
    <message>
        <source>Revisit</source>
        <translation>再次回访</translation>
    </message>
    <message>
        <source>--days must be at least 1.</source>
        <translation>--days 至少为 1。</translation>
    </message>
    <message>
        <source>look back over the whole history</source>
        <translation>统计全部历史</translation>
    </message>
    <message>
        <source>look back this many days for first revisits, won deals and deliveries (default {days}; overdue follow-ups and past dates count as they stand)</source>
        <translation>首次回访、成交和交车向前统计的天数（默认 {days}；逾期跟进和超期商机按当前状态统计）</translation>
    </message>
    <message>
        <source>the team's lost reasons (--set FILE.json replaces them)</source>
        <translation>团队的战败原因（--set FILE.json 替换）</translation>
    </message>
    <message>
        <source>a JSON list of {code, zh, en, needs_detail} to store (managers)</source>
        <translation>要保存的 JSON 列表，每项 {code, zh, en, needs_detail}（经理）</translation>
    </message>
    <message>
        <source>{path} must hold a JSON list of reasons.</source>
        <translation>{path} 必须是原因的 JSON 列表。</translation>
    </message>
    <message>
        <source>A pipeline needs at least one open stage.</source>
        <translation>销售流程至少需要一个进行中的阶段。</translation>
    </message>
    <message>
        <source>A pipeline needs exactly one won stage and one lost stage.</source>
        <translation>销售流程需要恰好一个赢单阶段和一个输单阶段。</translation>
    </message>
    <message>
        <source>A stage cannot be both won and lost.</source>
        <translation>一个阶段不能同时是赢单和输单。</translation>
    </message>
    <message>
        <source>Give a name of at most 100 characters.</source>
        <translation>请填写名称，最多 100 个字符。</translation>
    </message>
    <message>
        <source>Give a probability from 0 to 100.</source>
        <translation>请填写 0 到 100 之间的赢率。</translation>
    </message>
    <message>
        <source>Give a short code of letters, digits and _ (at most 32).</source>
        <translation>请填写由字母、数字和 _ 组成的简短代码（最多 32 个字符）。</translation>
    </message>
    <message>
        <source>Only a manager can change the stages.</source>
        <translation>只有销售经理可以修改阶段。</translation>
    </message>
    <message>
        <source>The lost stage has probability 0.</source>
        <translation>输单阶段的赢率为 0。</translation>
    </message>
    <message>
        <source>The stage belongs to another pipeline.</source>
        <translation>该阶段属于另一个销售流程。</translation>
    </message>
    <message>
        <source>The stage no longer exists (it may have been deleted).</source>
        <translation>该阶段已不存在（可能已被删除）。</translation>
    </message>
    <message>
        <source>The stage “{name}” still has {count} deals: move them to another stage first.</source>
        <translation>阶段“{name}”上还有 {count} 个商机：请先将它们移到其他阶段。</translation>
    </message>
    <message>
        <source>The won stage has probability 100.</source>
        <translation>赢单阶段的赢率为 100。</translation>
    </message>
    <message>
        <source>Two stages have the code “{code}”.</source>
        <translation>有两个阶段的代码都是“{code}”。</translation>
    </message>
    <message>
        <source>(company)</source>
        <translation>(全公司)</translation>
    </message>
    <message>
        <source>--month takes YYYY-MM, not {value}.</source>
        <translation>--month 的格式为 YYYY-MM,而不是 {value}。</translation>
    </message>
    <message>
        <source>--quarter takes YYYYQN (e.g. 2026Q4), not {value}.</source>
        <translation>--quarter 的格式为 YYYYQN(如 2026Q4),而不是 {value}。</translation>
    </message>
    <message>
        <source>--to must not be before --from.</source>
        <translation>--to 不能早于 --from。</translation>
    </message>
    <message>
        <source>A ratio is a share between 0 and 1.</source>
        <translation>比例须在 0 到 1 之间。</translation>
    </message>
    <message>
        <source>A target is for one consultant or one team, not both.</source>
        <translation>目标只能属于一名顾问或一个团队,不能同时属于两者。</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Average deal size</source>
        <translation>平均成交金额</translation>
    </message>
    <message>
        <source>Average sales cycle (days)</source>
        <translation>平均销售周期(天)</translation>
    </message>
    <message>
        <source>Best case</source>
        <translation>最佳情况</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>承诺</translation>
    </message>
    <message>
        <source>Conversion</source>
        <translation>转化率</translation>
    </message>
    <message>
        <source>Deals</source>
        <translation>商机数</translation>
    </message>
    <message>
        <source>Gap</source>
        <translation>缺口</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>No deal was won in the period: the average deal size is unknown.</source>
        <translation>该期间没有赢单,无法得出平均成交金额。</translation>
    </message>
    <message>
        <source>No such user.</source>
        <translation>没有这个用户。</translation>
    </message>
    <message>
        <source>No team named {name}.</source>
        <translation>没有名为 {name} 的团队。</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>管道</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>到达数</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Target achievement</source>
        <translation>目标达成率</translation>
    </message>
    <message>
        <source>The deal count must be a whole number, 0 or more.</source>
        <translation>目标单数必须是 0 或以上的整数。</translation>
    </message>
    <message>
        <source>The ideal funnel maps each stage to a ratio.</source>
        <translation>理想漏斗须为每个阶段给出一个比例。</translation>
    </message>
    <message>
        <source>The period is a month or a quarter.</source>
        <translation>期间只能是月或季度。</translation>
    </message>
    <message>
        <source>The target amount must be a number of yuan, 0 or more.</source>
        <translation>目标金额必须是 0 或以上的元数。</translation>
    </message>
    <message>
        <source>Weighted</source>
        <translation>加权预测</translation>
    </message>
    <message>
        <source>Win rate</source>
        <translation>赢单率</translation>
    </message>
    <message>
        <source>leave project-type deals out</source>
        <translation>不含项目型商机</translation>
    </message>
    <message>
        <source>list a year's targets</source>
        <translation>列出一年的目标</translation>
    </message>
    <message>
        <source>median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>only deals from leads of this source</source>
        <translation>只看来自该来源线索的商机</translation>
    </message>
    <message>
        <source>only deals whose product interest contains this</source>
        <translation>只看意向产品包含此文字的商机</translation>
    </message>
    <message>
        <source>only this pipeline (vehicle, project)</source>
        <translation>只看该管道(vehicle 整车、project 项目)</translation>
    </message>
    <message>
        <source>only this team's deals (team name)</source>
        <translation>只看该团队的商机(团队名称)</translation>
    </message>
    <message>
        <source>period end, included (YYYY-MM-DD)</source>
        <translation>期间结束日,含当天(YYYY-MM-DD)</translation>
    </message>
    <message>
        <source>period start (YYYY-MM-DD)</source>
        <translation>期间开始日(YYYY-MM-DD)</translation>
    </message>
    <message>
        <source>set a month's or quarter's target</source>
        <translation>设置某月或某季度的目标</translation>
    </message>
    <message>
        <source>set or list sales targets</source>
        <translation>设置或列出销售目标</translation>
    </message>
    <message>
        <source>the consultant (neither: the whole company)</source>
        <translation>顾问(不填:全公司)</translation>
    </message>
    <message>
        <source>the month, e.g. 2026-12</source>
        <translation>月份,如 2026-12</translation>
    </message>
    <message>
        <source>the quarter, e.g. 2026Q4</source>
        <translation>季度,如 2026Q4</translation>
    </message>
    <message>
        <source>the target amount in yuan</source>
        <translation>目标金额(元)</translation>
    </message>
    <message>
        <source>the target number of deals</source>
        <translation>目标成交单数</translation>
    </message>
    <message>
        <source>the team (its name)</source>
        <translation>团队(名称)</translation>
    </message>
    <message>
        <source>the year (default: this year)</source>
        <translation>年份(默认:今年)</translation>
    </message>
    <message>
        <source>{option} takes a date as YYYY-MM-DD, not {value}.</source>
        <translation>{option} 的日期格式为 YYYY-MM-DD,而不是 {value}。</translation>
    </message>
    <message>
        <source>Only a manager adjusts the forecast category; set your own in Forecast category.</source>
        <translation>只有经理可以调整预测类别；请在“预测类别”中填写您自己的判断。</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>A bank account number is digits (spaces and hyphens allowed).</source>
        <translation>银行账号只能由数字组成（可含空格和连字符）。</translation>
    </message>
    <message>
        <source>Accepted by the customer</source>
        <translation>客户确认</translation>
    </message>
    <message>
        <source>Account: {account}</source>
        <translation>账号：{account}</translation>
    </message>
    <message>
        <source>Address: {address}</source>
        <translation>地址：{address}</translation>
    </message>
    <message>
        <source>Bank: {bank}</source>
        <translation>开户银行：{bank}</translation>
    </message>
    <message>
        <source>Buyer (Party B)</source>
        <translation>乙方（买方）</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Company name not set up: fill in the company profile in the settings</source>
        <translation>公司名称未设置：请在设置中填写公司信息</translation>
    </message>
    <message>
        <source>Contact: {name}</source>
        <translation>联系人：{name}</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <source>Contract No.</source>
        <translation>合同编号</translation>
    </message>
    <message>
        <source>Contract amount</source>
        <translation>合同金额</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>折扣</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>Enter the company name.</source>
        <translation>请填写公司名称。</translation>
    </message>
    <message>
        <source>In words</source>
        <translation>大写</translation>
    </message>
    <message>
        <source>Installment</source>
        <translation>期次</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>报价日期</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>标的明细</translation>
    </message>
    <message>
        <source>Must be text.</source>
        <translation>必须是文本。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Only a manager can change the company profile.</source>
        <translation>只有经理可以修改公司信息。</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} 页 / 共 {pages} 页</translation>
    </message>
    <message>
        <source>Payment plan</source>
        <translation>付款计划</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Quotation</source>
        <translation>报价单</translation>
    </message>
    <message>
        <source>Quotation details</source>
        <translation>报价信息</translation>
    </message>
    <message>
        <source>Quote</source>
        <translation>关联报价单</translation>
    </message>
    <message>
        <source>Quote No.</source>
        <translation>报价单号</translation>
    </message>
    <message>
        <source>Quoted by</source>
        <translation>报价方</translation>
    </message>
    <message>
        <source>Sales consultant</source>
        <translation>销售顾问</translation>
    </message>
    <message>
        <source>Seal</source>
        <translation>盖章</translation>
    </message>
    <message>
        <source>Seller (Party A)</source>
        <translation>甲方（卖方）</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签字</translation>
    </message>
    <message>
        <source>Signed on</source>
        <translation>签订日期</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>小计</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>税额</translation>
    </message>
    <message>
        <source>Tax rate</source>
        <translation>税率</translation>
    </message>
    <message>
        <source>Template version</source>
        <translation>模板版本</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>合同期限</translation>
    </message>
    <message>
        <source>Terms</source>
        <translation>条款</translation>
    </message>
    <message>
        <source>The amount is not a number.</source>
        <translation>金额不是有效的数字。</translation>
    </message>
    <message>
        <source>The amount must be less than 1,000,000,000,000 yuan.</source>
        <translation>金额必须小于 1 万亿元。</translation>
    </message>
    <message>
        <source>The company profile must be an object of fields.</source>
        <translation>公司信息必须是字段组成的对象。</translation>
    </message>
    <message>
        <source>The logo file is damaged or not an image.</source>
        <translation>标志文件已损坏或不是图片。</translation>
    </message>
    <message>
        <source>The logo may be at most 1 MB.</source>
        <translation>标志图片最大 1 MB。</translation>
    </message>
    <message>
        <source>The logo must be a PNG or JPEG image.</source>
        <translation>标志必须是 PNG 或 JPEG 图片。</translation>
    </message>
    <message>
        <source>Total in words</source>
        <translation>合计金额（大写）</translation>
    </message>
    <message>
        <source>Unified social credit code: {code}</source>
        <translation>统一社会信用代码：{code}</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Unknown field.</source>
        <translation>未知字段。</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>{label}: {value}</source>
        <translation>{label}：{value}</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>Only a manager sets targets.</source>
        <translation>只有经理可以设定目标。</translation>
    </message>
    <message>
        <source>--tax-rate takes a rate such as 13% or 1300 (basis points), not {value}.</source>
        <translation>--tax-rate 应为税率，例如 13% 或 1300（基点），而不是 {value}。</translation>
    </message>
    <message>
        <source>A VAT rate from 0 to 100 % (in basis points: 1300 = 13 %).</source>
        <translation>增值税率应在 0 到 100% 之间（以基点计：1300 = 13%）。</translation>
    </message>
    <message>
        <source>A VAT rate such as 13% or 6%.</source>
        <translation>请填写税率，例如 13% 或 6%。</translation>
    </message>
    <message>
        <source>A discount from 0 to 100 %.</source>
        <translation>折扣应在 0 到 100% 之间。</translation>
    </message>
    <message>
        <source>A discount in basis points from 0 to 10000 (300 = 3 %), or null for no limit.</source>
        <translation>折扣以基点计，0 到 10000（300 = 3%），不限请填 null。</translation>
    </message>
    <message>
        <source>A quote is valid for a year at most.</source>
        <translation>报价有效期最长一年。</translation>
    </message>
    <message>
        <source>A quote that is “{status}” cannot be changed; make a new version.</source>
        <translation>状态为“{status}”的报价单不能修改，请创建新版本。</translation>
    </message>
    <message>
        <source>A vehicle needs its model.</source>
        <translation>整车须填写车型。</translation>
    </message>
    <message>
        <source>Add at least one line before submitting the quote.</source>
        <translation>提交前请至少添加一行。</translation>
    </message>
    <message>
        <source>Another price list is called {name}.</source>
        <translation>已有名为 {name} 的价目表。</translation>
    </message>
    <message>
        <source>Another product already has the code {code}.</source>
        <translation>编码 {code} 已被其他产品使用。</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>At most three decimals in a quantity.</source>
        <translation>数量最多三位小数。</translation>
    </message>
    <message>
        <source>At most two decimals (fen) in an amount.</source>
        <translation>金额最多两位小数（到分）。</translation>
    </message>
    <message>
        <source>At most two decimals in a percentage.</source>
        <translation>百分比最多两位小数。</translation>
    </message>
    <message>
        <source>At most {count} lines in a quote.</source>
        <translation>一份报价单最多 {count} 行。</translation>
    </message>
    <message>
        <source>Cannot write {path}: {detail}</source>
        <translation>无法写入 {path}：{detail}</translation>
    </message>
    <message>
        <source>Changed, back to draft</source>
        <translation>已修改，退回草稿</translation>
    </message>
    <message>
        <source>Choose a product from the catalog.</source>
        <translation>请从产品目录中选择产品。</translation>
    </message>
    <message>
        <source>Choose an existing price list.</source>
        <translation>请选择已有的价目表。</translation>
    </message>
    <message>
        <source>Choose one of the customer's contacts.</source>
        <translation>请选择该客户的联系人。</translation>
    </message>
    <message>
        <source>Choose the opportunity the quote is for.</source>
        <translation>请选择报价对应的商机。</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Declined by the customer</source>
        <translation>客户拒绝</translation>
    </message>
    <message>
        <source>Discount rejected</source>
        <translation>折扣被驳回</translation>
    </message>
    <message>
        <source>Discount {discount} above the limit of {limit}: a manager's approval is needed.</source>
        <translation>折扣 {discount} 超出权限 {limit}：需经理审批。</translation>
    </message>
    <message>
        <source>Discount {discount} within the limit of {limit}.</source>
        <translation>折扣 {discount} 在权限 {limit} 内。</translation>
    </message>
    <message>
        <source>From V{version} ({status}).</source>
        <translation>由 V{version}（{status}）修订。</translation>
    </message>
    <message>
        <source>Give each role's largest discount, e.g. {example}.</source>
        <translation>请填写各角色的最大折扣，例如 {example}。</translation>
    </message>
    <message>
        <source>Give the discount as a percentage or as an amount, not both.</source>
        <translation>折扣请填百分比或金额之一，不能同时填写。</translation>
    </message>
    <message>
        <source>Give the discount as a percentage, e.g. 5 or 4.5.</source>
        <translation>请以百分比填写折扣，例如 5 或 4.5。</translation>
    </message>
    <message>
        <source>Give the unit price.</source>
        <translation>请填写单价。</translation>
    </message>
    <message>
        <source>Name the product (--product CODE) or describe the line (--description).</source>
        <translation>请指定产品（--product 编码）或填写名称（--description）。</translation>
    </message>
    <message>
        <source>Name the product or describe the line.</source>
        <translation>请选择产品或填写名称。</translation>
    </message>
    <message>
        <source>New version</source>
        <translation>新版本</translation>
    </message>
    <message>
        <source>No price list is called {name}.</source>
        <translation>没有名为 {name} 的价目表。</translation>
    </message>
    <message>
        <source>No product has the code {code}.</source>
        <translation>没有编码为 {code} 的产品。</translation>
    </message>
    <message>
        <source>Not a number.</source>
        <translation>不是数字。</translation>
    </message>
    <message>
        <source>Not a role: {role}.</source>
        <translation>不是有效角色：{role}。</translation>
    </message>
    <message>
        <source>Not possible while the quote is “{status}”.</source>
        <translation>报价单当前为“{status}”，不能进行此操作。</translation>
    </message>
    <message>
        <source>Only a manager can approve or reject a quote's discount.</source>
        <translation>只有经理可以批准或驳回报价折扣。</translation>
    </message>
    <message>
        <source>Only a manager can change the catalog and the price lists.</source>
        <translation>只有经理可以修改产品目录和价目表。</translation>
    </message>
    <message>
        <source>Only an administrator can change the discount policy.</source>
        <translation>只有管理员可以修改折扣政策。</translation>
    </message>
    <message>
        <source>Pending approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Prices include VAT. This quote is valid for {days} days.</source>
        <translation>报价含增值税，有效期 {days} 天。</translation>
    </message>
    <message>
        <source>Product {code} added: {id}</source>
        <translation>已添加产品 {code}：{id}</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Subtotal {subtotal}, discount {discount}, total {total} (VAT included: {tax}); largest discount {bp}</source>
        <translation>小计 {subtotal}，折扣 {discount}，合计 {total}（含税额 {tax}）；最大折扣 {bp}</translation>
    </message>
    <message>
        <source>Tell the rep why the discount is rejected.</source>
        <translation>请告诉销售驳回折扣的原因。</translation>
    </message>
    <message>
        <source>The discount cannot be more than the line's amount.</source>
        <translation>折扣不能超过该行金额。</translation>
    </message>
    <message>
        <source>The discount of {discount} is above your own limit of {limit}; an administrator must decide.</source>
        <translation>折扣 {discount} 超出您本人的权限 {limit}，须由管理员审批。</translation>
    </message>
    <message>
        <source>The end date cannot be before the start date.</source>
        <translation>结束日期不能早于开始日期。</translation>
    </message>
    <message>
        <source>The file is neither UTF-8 nor GB18030 text.</source>
        <translation>文件既不是 UTF-8 也不是 GB18030 编码的文本。</translation>
    </message>
    <message>
        <source>The line no longer exists (it may have been deleted).</source>
        <translation>该行已不存在（可能已被删除）。</translation>
    </message>
    <message>
        <source>The opportunity is lost; reactivate it before quoting.</source>
        <translation>该商机已战败，请先重新激活再报价。</translation>
    </message>
    <message>
        <source>The product {code} is no longer sold.</source>
        <translation>产品 {code} 已停售。</translation>
    </message>
    <message>
        <source>The quantity is too large.</source>
        <translation>数量过大。</translation>
    </message>
    <message>
        <source>The quantity must be more than zero.</source>
        <translation>数量必须大于零。</translation>
    </message>
    <message>
        <source>The quote expired on {day}; make a new version for the customer.</source>
        <translation>报价已于 {day} 过期，请为客户创建新版本。</translation>
    </message>
    <message>
        <source>The quote must be valid until today or later.</source>
        <translation>报价有效期不能早于今天。</translation>
    </message>
    <message>
        <source>The quote was valid until {day}; give a later date first.</source>
        <translation>报价有效期至 {day}，请先填写更晚的日期。</translation>
    </message>
    <message>
        <source>Valid until {day}</source>
        <translation>有效期至 {day}</translation>
    </message>
    <message>
        <source>Valid until {day}.</source>
        <translation>有效期至 {day}。</translation>
    </message>
    <message>
        <source>Version {version} of {number} is already accepted.</source>
        <translation>{number} 的 V{version} 已被接受。</translation>
    </message>
    <message>
        <source>a discount in percent, e.g. 5 or 4.5</source>
        <translation>折扣百分比，例如 5 或 4.5</translation>
    </message>
    <message>
        <source>a discount in yuan</source>
        <translation>折扣金额（元）</translation>
    </message>
    <message>
        <source>a manager approves the discount</source>
        <translation>经理批准折扣</translation>
    </message>
    <message>
        <source>a manager rejects the discount (back to draft), with --comment</source>
        <translation>经理驳回折扣（退回草稿），须带 --comment</translation>
    </message>
    <message>
        <source>a new draft quote for an opportunity</source>
        <translation>为商机新建报价草稿</translation>
    </message>
    <message>
        <source>a quote with its lines and history</source>
        <translation>报价单及其明细和历史记录</translation>
    </message>
    <message>
        <source>a vehicle (needs --model)</source>
        <translation>整车（须带 --model）</translation>
    </message>
    <message>
        <source>add a line to a quote</source>
        <translation>为报价单添加一行</translation>
    </message>
    <message>
        <source>add a product (managers)</source>
        <translation>添加产品（经理）</translation>
    </message>
    <message>
        <source>add or update products from a CSV file (Chinese or English headers)</source>
        <translation>从 CSV 文件添加或更新产品（中文或英文表头）</translation>
    </message>
    <message>
        <source>change a line of a quote (by its position)</source>
        <translation>修改报价单的一行（按行号）</translation>
    </message>
    <message>
        <source>change a quote's validity, terms, contact or list</source>
        <translation>修改报价单的有效期、条款、联系人或价目表</translation>
    </message>
    <message>
        <source>code, name, model or pinyin</source>
        <translation>编码、名称、车型或拼音</translation>
    </message>
    <message>
        <source>default: in 15 days</source>
        <translation>默认：15 天后</translation>
    </message>
    <message>
        <source>e.g. {"consultant": 300, "manager": 1500}</source>
        <translation>例如 {"consultant": 300, "manager": 1500}</translation>
    </message>
    <message>
        <source>inactive products too</source>
        <translation>包括停售产品</translation>
    </message>
    <message>
        <source>make the next version of a sent, declined or expired quote</source>
        <translation>为已发送、被拒绝或已过期的报价单创建新版本</translation>
    </message>
    <message>
        <source>mark the approved quote sent to the customer</source>
        <translation>将已批准的报价单标记为已发送给客户</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>old versions too</source>
        <translation>包括旧版本</translation>
    </message>
    <message>
        <source>only this category</source>
        <translation>仅此类别</translation>
    </message>
    <message>
        <source>only vehicles</source>
        <translation>仅整车</translation>
    </message>
    <message>
        <source>products, by code</source>
        <translation>产品，按编码排序</translation>
    </message>
    <message>
        <source>quotes, newest first (current versions)</source>
        <translation>报价单，最新在前（当前版本）</translation>
    </message>
    <message>
        <source>quotes: create, price, approve, send, accept, revise and compare</source>
        <translation>报价单：新建、定价、审批、发送、接受、修订和对比</translation>
    </message>
    <message>
        <source>remove a line of a quote (by its position)</source>
        <translation>删除报价单的一行（按行号）</translation>
    </message>
    <message>
        <source>sent quotes past their date become expired</source>
        <translation>已过有效期的已发送报价单改为已过期</translation>
    </message>
    <message>
        <source>show the discount policy, or set it from a JSON file (administrators)</source>
        <translation>显示折扣政策，或从 JSON 文件设置（管理员）</translation>
    </message>
    <message>
        <source>submit for approval (approved at once within your limit)</source>
        <translation>提交审批（在权限内直接批准）</translation>
    </message>
    <message>
        <source>the Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>the English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <source>the VAT rate (default: the product's)</source>
        <translation>增值税率（默认：产品的税率）</translation>
    </message>
    <message>
        <source>the VAT rate in percent, e.g. 13 (the default) or 6</source>
        <translation>增值税率（百分比），例如 13（默认）或 6</translation>
    </message>
    <message>
        <source>the catalog: list, add and import products</source>
        <translation>产品目录：列出、添加和导入产品</translation>
    </message>
    <message>
        <source>the colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>the customer accepted the sent quote</source>
        <translation>客户接受已发送的报价单</translation>
    </message>
    <message>
        <source>the customer declined the sent quote</source>
        <translation>客户拒绝已发送的报价单</translation>
    </message>
    <message>
        <source>the list price in yuan, VAT included</source>
        <translation>指导价（元，含增值税）</translation>
    </message>
    <message>
        <source>the number or the customer's name</source>
        <translation>报价单号或客户名称</translation>
    </message>
    <message>
        <source>the price list new lines are priced from</source>
        <translation>新增行取价的价目表</translation>
    </message>
    <message>
        <source>the price list the lines are priced from</source>
        <translation>明细行取价的价目表</translation>
    </message>
    <message>
        <source>the quantity (default 1)</source>
        <translation>数量（默认 1）</translation>
    </message>
    <message>
        <source>the trim level</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>the unit of sale (default: one vehicle)</source>
        <translation>销售单位（默认：台）</translation>
    </message>
    <message>
        <source>the unit price, VAT included (default: the catalog price)</source>
        <translation>含税单价（默认：目录价格）</translation>
    </message>
    <message>
        <source>the vehicle model</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>this version (default: the current one)</source>
        <translation>指定版本（默认：当前版本）</translation>
    </message>
    <message>
        <source>two versions line by line</source>
        <translation>逐行对比两个版本</translation>
    </message>
    <message>
        <source>write the quote as a PDF</source>
        <translation>将报价单输出为 PDF</translation>
    </message>
    <message>
        <source>{count} products</source>
        <translation>共 {count} 个产品</translation>
    </message>
    <message>
        <source>{count} quotes</source>
        <translation>共 {count} 份报价单</translation>
    </message>
    <message>
        <source>{count} quotes expired</source>
        <translation>{count} 份报价单已过期</translation>
    </message>
    <message>
        <source>{created} products added, {updated} updated</source>
        <translation>新增 {created} 个产品，更新 {updated} 个</translation>
    </message>
    <message>
        <source>{number} V{version} is an old version and cannot be changed; work on the current version.</source>
        <translation>{number} V{version} 是旧版本，不能修改；请在当前版本上操作。</translation>
    </message>
    <message>
        <source>{number} V{version} written to {path}</source>
        <translation>{number} V{version} 已写入 {path}</translation>
    </message>
    <message>
        <source>{number} has no line {position}.</source>
        <translation>{number} 没有第 {position} 行。</translation>
    </message>
    <message>
        <source>{number}: V{a} against V{b}</source>
        <translation>{number}：V{a} 与 V{b} 对比</translation>
    </message>
    <message>
        <source>Give a code of lower-case letters, digits and _ (at most 40).</source>
        <translation>请填写由小写字母、数字和 _ 组成的代码（最多 40 个字符）。</translation>
    </message>
    <message>
        <source>Only a manager can change the contract templates.</source>
        <translation>只有经理可以修改合同模板。</translation>
    </message>
    <message>
        <source>There is no contract template “{code}”.</source>
        <translation>没有代码为“{code}”的合同模板。</translation>
    </message>
    <message>
        <source>The contract's template is missing; make the contract again.</source>
        <translation>合同所用的模板已不存在，请重新生成合同。</translation>
    </message>
    <message>
        <source>The end cannot be before the start.</source>
        <translation>结束日期不能早于开始日期。</translation>
    </message>
    <message>
        <source>The amount of a contract made from a quote is the quote's total.</source>
        <translation>由报价单生成的合同，金额即报价单合计，不能修改。</translation>
    </message>
    <message>
        <source>Give the contract's amount.</source>
        <translation>请填写合同金额。</translation>
    </message>
    <message>
        <source>A contract that is {status} cannot become {target}.</source>
        <translation>状态为 {status} 的合同不能改为 {target}。</translation>
    </message>
    <message>
        <source>The template has no text.</source>
        <translation>模板没有内容。</translation>
    </message>
    <message>
        <source>Only an accepted quote can become a contract (this one is {status}).</source>
        <translation>只有客户已接受的报价单才能生成合同（此报价单状态为 {status}）。</translation>
    </message>
    <message>
        <source>Quote {quote} already has contract {contract}.</source>
        <translation>报价单 {quote} 已生成合同 {contract}。</translation>
    </message>
    <message>
        <source>A lost opportunity cannot become a contract.</source>
        <translation>已输单的商机不能生成合同。</translation>
    </message>
    <message>
        <source>Only a draft contract can be changed; a signed one is terminated and made again.</source>
        <translation>只有草稿状态的合同可以修改；已签订的合同需终止后重新生成。</translation>
    </message>
    <message>
        <source>Say why the contract is terminated.</source>
        <translation>请填写终止合同的原因。</translation>
    </message>
    <message>
        <source>Attach a PDF, JPEG, PNG or TIFF file (the signed scan).</source>
        <translation>请上传 PDF、JPEG、PNG 或 TIFF 文件（签字盖章后的扫描件）。</translation>
    </message>
    <message>
        <source>The file {name} is a {kind} file; its name should end in {suffix}.</source>
        <translation>文件 {name} 实际是 {kind} 文件，文件名应以 {suffix} 结尾。</translation>
    </message>
    <message>
        <source>Give the file a name of at most 200 characters.</source>
        <translation>文件名不能为空，且最多 200 个字符。</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>文件是空的。</translation>
    </message>
    <message>
        <source>The file is {size} MB; at most {limit} MB can be attached.</source>
        <translation>文件大小为 {size} MB，附件最大 {limit} MB。</translation>
    </message>
    <message>
        <source>A brace is not closed or not doubled; write {open} and {close} for a literal brace ({detail}).</source>
        <translation>有花括号未闭合或未成对；要写花括号本身，请写成 {open} 和 {close}（{detail}）。</translation>
    </message>
    <message>
        <source>Unknown placeholder {name}; the known ones are: {known}.</source>
        <translation>未知的占位符 {name}；可用的占位符有：{known}。</translation>
    </message>
    <message>
        <source>Write the placeholder {name} without a format.</source>
        <translation>占位符 {name} 不能带格式说明。</translation>
    </message>
    <message>
        <source>The start cannot be after the end ({end}).</source>
        <translation>开始日期不能晚于结束日期（{end}）。</translation>
    </message>
    <message>
        <source>No owner</source>
        <translation>无负责人</translation>
    </message>
    <message>
        <source>Give at least one installment.</source>
        <translation>请至少填写一期回款。</translation>
    </message>
    <message>
        <source>At most {count} installments.</source>
        <translation>最多 {count} 期。</translation>
    </message>
    <message>
        <source>Give every installment as an amount or every one as a percentage.</source>
        <translation>各期须统一按金额或统一按比例填写。</translation>
    </message>
    <message>
        <source>The percentages add up to {given} %, not to 100 %.</source>
        <translation>各期比例合计为 {given} %，而不是 100 %。</translation>
    </message>
    <message>
        <source>The last installment would be nothing; give fewer or larger shares.</source>
        <translation>最后一期金额将为零，请减少期数或调大比例。</translation>
    </message>
    <message>
        <source>The amount must be more than 0.</source>
        <translation>金额必须大于 0。</translation>
    </message>
    <message>
        <source>A percentage is more than 0 and at most 100.</source>
        <translation>比例须大于 0 且不超过 100。</translation>
    </message>
    <message>
        <source>A percentage has at most two decimals.</source>
        <translation>比例最多保留两位小数。</translation>
    </message>
    <message>
        <source>A terminated contract has no payment plan.</source>
        <translation>已终止的合同不能制定回款计划。</translation>
    </message>
    <message>
        <source>The plan's total must be more than 0.</source>
        <translation>回款计划总额必须大于 0。</translation>
    </message>
    <message>
        <source>The installments add up to {given}, not to the plan's total {total}.</source>
        <translation>各期金额合计为 {given}，与计划总额 {total} 不符。</translation>
    </message>
    <message>
        <source>An amount has at most two decimals (fen).</source>
        <translation>金额最多保留两位小数（到分）。</translation>
    </message>
    <message>
        <source>Nothing of the payment is left to allocate.</source>
        <translation>这笔回款已全部核销，没有可分配的余额。</translation>
    </message>
    <message>
        <source>Not a percentage; write it as 30 or 33.33.</source>
        <translation>不是有效的比例，请写成 30 或 33.33。</translation>
    </message>
    <message>
        <source>A payment plan belongs to one contract or one order.</source>
        <translation>回款计划只能属于一份合同或一个订单。</translation>
    </message>
    <message>
        <source>A cancelled order has no payment plan.</source>
        <translation>已取消的订单不能制定回款计划。</translation>
    </message>
    <message>
        <source>This sale already has a payment plan; delete it before making another.</source>
        <translation>这笔销售已有回款计划；请先删除原计划再新建。</translation>
    </message>
    <message>
        <source>Payments are allocated to this plan; unallocate them first.</source>
        <translation>此计划已有核销的回款，请先取消核销。</translation>
    </message>
    <message>
        <source>The installment is paid.</source>
        <translation>这一期已付清。</translation>
    </message>
    <message>
        <source>It belongs to another customer.</source>
        <translation>它属于其他客户。</translation>
    </message>
    <message>
        <source>The installment is another customer's.</source>
        <translation>这一期属于其他客户。</translation>
    </message>
    <message>
        <source>The amount must be more than 0, with at most two decimals.</source>
        <translation>金额必须大于 0，且最多两位小数。</translation>
    </message>
    <message>
        <source>The payment has only {left} left to allocate.</source>
        <translation>这笔回款只剩 {left} 可以核销。</translation>
    </message>
    <message>
        <source>The installment is owed only {owed}; the rest stays as credit.</source>
        <translation>这一期只欠 {owed}；多出的部分留作客户余额。</translation>
    </message>
    <message>
        <source>The quantity must be more than 0.</source>
        <translation>数量必须大于 0。</translation>
    </message>
    <message>
        <source>Choose an existing product.</source>
        <translation>请选择已有的产品。</translation>
    </message>
    <message>
        <source>{product} is not a vehicle; only a car line takes a VIN.</source>
        <translation>{product} 不是整车，只有车辆明细行可以填写车架号。</translation>
    </message>
    <message>
        <source>VIN {vin} is already on order {number}.</source>
        <translation>车架号 {vin} 已在订单 {number} 中使用。</translation>
    </message>
    <message>
        <source>{count} VINs for {cars} cars.</source>
        <translation>{cars} 辆车却填写了 {count} 个车架号。</translation>
    </message>
    <message>
        <source>Not a quantity; write it as 1 or 2.5.</source>
        <translation>不是有效的数量，请写成 1 或 2.5。</translation>
    </message>
    <message>
        <source>Lines are changed on a draft or confirmed order only.</source>
        <translation>只有草稿或已确认的订单可以修改明细。</translation>
    </message>
    <message>
        <source>Order {number} was already made from it.</source>
        <translation>已由它生成订单 {number}。</translation>
    </message>
    <message>
        <source>An order that is {status} cannot become {target}.</source>
        <translation>状态为 {status} 的订单不能改为 {target}。</translation>
    </message>
    <message>
        <source>Say why the order is cancelled.</source>
        <translation>请填写取消订单的原因。</translation>
    </message>
    <message>
        <source>Payments are allocated to this order's installments; unallocate them before the order is cancelled.</source>
        <translation>此订单的回款计划已有核销的回款；请先取消核销，再取消订单。</translation>
    </message>
    <message>
        <source>VIN {vin} is given twice.</source>
        <translation>车架号 {vin} 重复填写。</translation>
    </message>
    <message>
        <source>A line with a VIN is one car: its quantity is 1.</source>
        <translation>填写了车架号的明细行代表一辆车，数量应为 1。</translation>
    </message>
    <message>
        <source>A closed or cancelled order cannot be changed.</source>
        <translation>已关闭或已取消的订单不能修改。</translation>
    </message>
    <message>
        <source>An order is made from a signed contract (this one is {status}).</source>
        <translation>订单须由已签订的合同生成（此合同状态为 {status}）。</translation>
    </message>
    <message>
        <source>An order is made from an accepted quote (this one is {status}).</source>
        <translation>订单须由客户已接受的报价单生成（此报价单状态为 {status}）。</translation>
    </message>
    <message>
        <source>The check digit of VIN {vin} (its 9th character) does not match; VINs of cars made for China need not carry one. Compare it with the car.</source>
        <translation>车架号 {vin} 的校验位（第 9 位）不符；国产车的车架号不一定带校验位，请与车辆核对。</translation>
    </message>
    <message>
        <source>A VIN has 17 characters; this one has {count}.</source>
        <translation>车架号应为 17 位，这个是 {count} 位。</translation>
    </message>
    <message>
        <source>A VIN never contains the letters I, O or Q (found {letters}).</source>
        <translation>车架号中不能有字母 I、O、Q（发现 {letters}）。</translation>
    </message>
    <message>
        <source>A VIN has only the letters A–Z (but I, O, Q) and the digits 0–9.</source>
        <translation>车架号只能包含字母 A–Z（I、O、Q 除外）和数字 0–9。</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>提示：{text}</translation>
    </message>
    <message>
        <source>Plan {id}: total {total}, paid {paid}, outstanding {outstanding}</source>
        <translation>回款计划 {id}：总额 {total}，已回款 {paid}，未回款 {outstanding}</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>计划回款</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>已到期</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>已回款</translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation>未回款</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Receivables as of {day}</source>
        <translation>截至 {day} 的应收款</translation>
    </message>
    <message>
        <source>Credit (received, not allocated): {credit}</source>
        <translation>客户余额（已收未核销）：{credit}</translation>
    </message>
    <message>
        <source>contracts: make from a quote, sign, attach the scan, templates</source>
        <translation>合同：由报价单生成、签订、上传扫描件、模板</translation>
    </message>
    <message>
        <source>contracts, newest first</source>
        <translation>合同列表（最新在前）</translation>
    </message>
    <message>
        <source>only contracts with this status</source>
        <translation>只列出此状态的合同</translation>
    </message>
    <message>
        <source>only this customer's contracts</source>
        <translation>只列出此客户的合同</translation>
    </message>
    <message>
        <source>a draft contract from an accepted quote</source>
        <translation>由客户已接受的报价单生成合同草稿</translation>
    </message>
    <message>
        <source>the quote's id or number</source>
        <translation>报价单的 ID 或编号</translation>
    </message>
    <message>
        <source>a draft contract from a deal</source>
        <translation>由商机生成合同草稿</translation>
    </message>
    <message>
        <source>edit a draft contract (its text follows)</source>
        <translation>修改合同草稿（正文随之更新）</translation>
    </message>
    <message>
        <source>draft -&gt; signed (on a day, default today)</source>
        <translation>草稿 -&gt; 已签订（签订日期默认今天）</translation>
    </message>
    <message>
        <source>signed -&gt; in force</source>
        <translation>已签订 -&gt; 生效</translation>
    </message>
    <message>
        <source>in force -&gt; finished</source>
        <translation>生效 -&gt; 履行完毕</translation>
    </message>
    <message>
        <source>end a contract early, with the reason</source>
        <translation>提前终止合同，须填写原因</translation>
    </message>
    <message>
        <source>keep a file (the signed scan) with a contract</source>
        <translation>为合同上传附件（签字盖章的扫描件）</translation>
    </message>
    <message>
        <source>a PDF, JPEG, PNG or TIFF file</source>
        <translation>PDF、JPEG、PNG 或 TIFF 文件</translation>
    </message>
    <message>
        <source>take an attachment off its contract</source>
        <translation>删除合同附件</translation>
    </message>
    <message>
        <source>the contract templates, current versions</source>
        <translation>合同模板（当前版本）</translation>
    </message>
    <message>
        <source>the placeholders a template may use</source>
        <translation>模板可用的占位符</translation>
    </message>
    <message>
        <source>store a new version of a template from a text file</source>
        <translation>从文本文件保存模板的新版本</translation>
    </message>
    <message>
        <source>the template's text (UTF-8), its placeholders in braces</source>
        <translation>模板正文（UTF-8），占位符写在花括号中</translation>
    </message>
    <message>
        <source>the template's name</source>
        <translation>模板名称</translation>
    </message>
    <message>
        <source>orders: make from a contract or a quote, VINs, confirm, deliver, cancel</source>
        <translation>订单：由合同或报价单生成、车架号、确认、交车、取消</translation>
    </message>
    <message>
        <source>a draft order from a signed contract</source>
        <translation>由已签订的合同生成订单草稿</translation>
    </message>
    <message>
        <source>a draft order from an accepted quote</source>
        <translation>由客户已接受的报价单生成订单草稿</translation>
    </message>
    <message>
        <source>the VIN of one car line</source>
        <translation>填写一条车辆明细的车架号</translation>
    </message>
    <message>
        <source>17 characters; empty to clear</source>
        <translation>17 位；留空即清除</translation>
    </message>
    <message>
        <source>an order with its lines</source>
        <translation>订单及其明细</translation>
    </message>
    <message>
        <source>draft -&gt; confirmed</source>
        <translation>草稿 -&gt; 已确认</translation>
    </message>
    <message>
        <source>delivered -&gt; closed</source>
        <translation>已交车 -&gt; 已关闭</translation>
    </message>
    <message>
        <source>-&gt; delivered: a purchasing customer, the follow-ups planned</source>
        <translation>-&gt; 已交车：客户成为成交客户，并安排交车后回访</translation>
    </message>
    <message>
        <source>the delivery day (default today)</source>
        <translation>交车日期（默认今天）</translation>
    </message>
    <message>
        <source>cancel an order, with the reason</source>
        <translation>取消订单，须填写原因</translation>
    </message>
    <message>
        <source>payment plans of contracts and orders</source>
        <translation>合同和订单的回款计划</translation>
    </message>
    <message>
        <source>a payment plan of installments</source>
        <translation>制定分期回款计划</translation>
    </message>
    <message>
        <source>a plan with its installments</source>
        <translation>查看回款计划及各期</translation>
    </message>
    <message>
        <source>remove a plan nothing was paid on</source>
        <translation>删除尚无回款的计划</translation>
    </message>
    <message>
        <source>payments received, allocation to installments, credit</source>
        <translation>回款登记、核销到各期、客户余额</translation>
    </message>
    <message>
        <source>a payment received (allocated oldest due first)</source>
        <translation>登记一笔回款（按到期日从早到晚自动核销）</translation>
    </message>
    <message>
        <source>the amount in yuan</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>the day it was received</source>
        <translation>到账日期</translation>
    </message>
    <message>
        <source>the bank's or the receipt's reference</source>
        <translation>银行流水号或收据号</translation>
    </message>
    <message>
        <source>the order it pays for (its installments only)</source>
        <translation>所付款的订单（只核销该订单的各期）</translation>
    </message>
    <message>
        <source>the contract it pays for</source>
        <translation>所付款的合同</translation>
    </message>
    <message>
        <source>keep it all as credit for now</source>
        <translation>暂不核销，全部作为客户余额</translation>
    </message>
    <message>
        <source>allocate a payment: to one installment, or oldest due first</source>
        <translation>核销回款：核销到指定一期，或按到期日从早到晚</translation>
    </message>
    <message>
        <source>how much (default: all it can)</source>
        <translation>核销金额（默认尽可能多）</translation>
    </message>
    <message>
        <source>take allocations back</source>
        <translation>取消核销</translation>
    </message>
    <message>
        <source>every allocation of this payment</source>
        <translation>取消这笔回款的全部核销</translation>
    </message>
    <message>
        <source>a customer's credit (and --apply it)</source>
        <translation>客户余额（加 --apply 则核销）</translation>
    </message>
    <message>
        <source>allocate the credit to installments owed</source>
        <translation>将客户余额核销到未付的各期</translation>
    </message>
    <message>
        <source>Template {code} saved as version {version}.</source>
        <translation>模板 {code} 已保存为第 {version} 版。</translation>
    </message>
    <message>
        <source>Contract {number} made (draft).</source>
        <translation>已生成合同 {number}（草稿）。</translation>
    </message>
    <message>
        <source>Write an installment as DATE=AMOUNT or DATE=PERCENT%, e.g. 2026-12-01=30%, not {value}.</source>
        <translation>每期请写成 日期=金额 或 日期=比例%，例如 2026-12-01=30%，而不是 {value}。</translation>
    </message>
    <message>
        <source>receivables: as of this day (YYYY-MM-DD, default today)</source>
        <translation>应收款：统计截至此日（YYYY-MM-DD，默认今天）</translation>
    </message>
    <message>
        <source>the contract's own terms ({terms} in the template)</source>
        <translation>合同的补充条款（模板中的 {terms}）</translation>
    </message>
    <message>
        <source>template code (vehicle_sale, project_sale, ...)</source>
        <translation>模板代码（vehicle_sale、project_sale 等）</translation>
    </message>
    <message>
        <source>the VIN of the next car line; repeatable, in line order</source>
        <translation>下一条车辆明细的车架号；可重复，按明细顺序</translation>
    </message>
    <message>
        <source>Payment plan deleted.</source>
        <translation>回款计划已删除。</translation>
    </message>
    <message>
        <source>Payment {id}: {amount}, allocated {allocated}, customer's credit {credit}</source>
        <translation>回款 {id}：{amount}，已核销 {allocated}，客户余额 {credit}</translation>
    </message>
    <message>
        <source>Nothing allocated.</source>
        <translation>没有可核销的金额。</translation>
    </message>
    <message>
        <source>Nothing unallocated.</source>
        <translation>没有可取消的核销。</translation>
    </message>
    <message>
        <source>a contract with its text</source>
        <translation>查看合同及正文</translation>
    </message>
    <message>
        <source>a contract's attachments</source>
        <translation>合同附件</translation>
    </message>
    <message>
        <source>one installment, e.g. 2026-12-01=30%%:deposit or 2027-01-15=50000; repeatable</source>
        <translation>一期回款，例如 2026-12-01=30%%:首付款 或 2027-01-15=50000；可重复</translation>
    </message>
    <message>
        <source>the plan's total (default: the contract's amount or order's total)</source>
        <translation>计划总额（默认：合同金额或订单总额）</translation>
    </message>
    <message>
        <source>statuses as of this day</source>
        <translation>按此日期计算各期状态</translation>
    </message>
    <message>
        <source>a customer's payments</source>
        <translation>客户的回款记录</translation>
    </message>
    <message>
        <source>There is no payment plan for it.</source>
        <translation>它没有回款计划。</translation>
    </message>
    <message>
        <source>Credit: {credit}</source>
        <translation>客户余额：{credit}</translation>
    </message>
    <message>
        <source>{name} attached ({size} bytes).</source>
        <translation>已上传附件 {name}（{size} 字节）。</translation>
    </message>
    <message>
        <source>Attachment removed.</source>
        <translation>附件已删除。</translation>
    </message>
    <message>
        <source>the contract's number (CT-...)</source>
        <translation>合同编号（CT-...）</translation>
    </message>
    <message>
        <source>the contract's title</source>
        <translation>合同名称</translation>
    </message>
    <message>
        <source>the buyer's name</source>
        <translation>买方名称</translation>
    </message>
    <message>
        <source>the buyer's contact person</source>
        <translation>买方联系人</translation>
    </message>
    <message>
        <source>the buyer's phone</source>
        <translation>买方电话</translation>
    </message>
    <message>
        <source>the buyer's address</source>
        <translation>买方地址</translation>
    </message>
    <message>
        <source>the buyer's unified social credit code (companies)</source>
        <translation>买方统一社会信用代码（企业）</translation>
    </message>
    <message>
        <source>our company's name (company profile)</source>
        <translation>本公司名称（公司信息）</translation>
    </message>
    <message>
        <source>our company's address</source>
        <translation>本公司地址</translation>
    </message>
    <message>
        <source>our company's phone</source>
        <translation>本公司电话</translation>
    </message>
    <message>
        <source>our company's unified social credit code</source>
        <translation>本公司统一社会信用代码</translation>
    </message>
    <message>
        <source>our bank</source>
        <translation>本公司开户行</translation>
    </message>
    <message>
        <source>our bank account number</source>
        <translation>本公司银行账号</translation>
    </message>
    <message>
        <source>the contract amount, e.g. ¥100,000.01</source>
        <translation>合同金额，例如 ¥100,000.01</translation>
    </message>
    <message>
        <source>the amount in Chinese capital numerals</source>
        <translation>金额大写，例如 壹拾万元零壹分</translation>
    </message>
    <message>
        <source>the signing date (blank to fill in by hand until signed)</source>
        <translation>签订日期（签订前留空，手写填入）</translation>
    </message>
    <message>
        <source>the start date</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>the end date</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>the quote's number</source>
        <translation>报价单编号</translation>
    </message>
    <message>
        <source>the quote's version, e.g. V2</source>
        <translation>报价单版本，例如 V2</translation>
    </message>
    <message>
        <source>the quote's lines, one per line</source>
        <translation>报价单明细，每行一条</translation>
    </message>
    <message>
        <source>the contract's own terms</source>
        <translation>合同的补充条款</translation>
    </message>
    <message>
        <source>the date the text is made</source>
        <translation>正文生成日期</translation>
    </message>
    <message>
        <source>A contract has no versions to choose; leave out --version.</source>
        <translation>合同没有版本可选，请去掉 --version。</translation>
    </message>
    <message>
        <source>{number} written to {path}</source>
        <translation>{number} 已写入 {path}</translation>
    </message>
    <message>
        <source>write a quote or a contract as the PDF the customer signs</source>
        <translation>将报价单或合同输出为供客户签字的 PDF</translation>
    </message>
    <message>
        <source>quote or contract</source>
        <translation>quote（报价单）或 contract（合同）</translation>
    </message>
    <message>
        <source>the document's number (QT-…, CT-…)</source>
        <translation>单据编号（QT-…、CT-…）</translation>
    </message>
    <message>
        <source>a quote's version (default: the current one)</source>
        <translation>报价单版本（默认：当前版本）</translation>
    </message>
    <message>
        <source>The database {path} does not exist: there is nothing to back up.</source>
        <translation>数据库 {path} 不存在，没有可备份的内容。</translation>
    </message>
    <message>
        <source>The database {path} cannot be backed up: {detail}</source>
        <translation>数据库 {path} 无法备份：{detail}</translation>
    </message>
    <message>
        <source>The backup {path} cannot be written: {detail}</source>
        <translation>无法写入备份 {path}：{detail}</translation>
    </message>
    <message>
        <source>The backup {name} does not exist.</source>
        <translation>备份 {name} 不存在。</translation>
    </message>
    <message>
        <source>The backup {name} is not an SQLite database.</source>
        <translation>备份 {name} 不是 SQLite 数据库。</translation>
    </message>
    <message>
        <source>The backup {name} is damaged: {detail}</source>
        <translation>备份 {name} 已损坏：{detail}</translation>
    </message>
    <message>
        <source>The backup {name} is not a crmdesk database (it has no schema revision).</source>
        <translation>备份 {name} 不是 crmdesk 数据库（没有结构版本）。</translation>
    </message>
    <message>
        <source>The backup {name} was made by a newer version of crmdesk (schema {revision}); this version cannot use it.</source>
        <translation>备份 {name} 由更新版本的 crmdesk 创建（结构版本 {revision}），本版本无法使用。</translation>
    </message>
    <message>
        <source>The backup {name} is intact (schema {revision}).</source>
        <translation>备份 {name} 完好（结构版本 {revision}）。</translation>
    </message>
    <message>
        <source>Another program is writing the database {path}; close it and try again.</source>
        <translation>另一个程序正在写入数据库 {path}，请关闭后重试。</translation>
    </message>
    <message>
        <source>{problem} It was not restored; the database is unchanged.</source>
        <translation>{problem} 未恢复，数据库保持不变。</translation>
    </message>
    <message>
        <source>The backup cannot be copied to {path}: {detail}</source>
        <translation>无法将备份复制到 {path}：{detail}</translation>
    </message>
    <message>
        <source>The backup cannot be put in place of {path}: {detail}</source>
        <translation>无法用备份替换 {path}：{detail}</translation>
    </message>
    <message>
        <source>The database {path} does not exist.</source>
        <translation>数据库 {path} 不存在。</translation>
    </message>
    <message>
        <source>{path} already exists; choose a new file for the salvaged data.</source>
        <translation>{path} 已存在，请为抢救出的数据选择一个新文件。</translation>
    </message>
    <message>
        <source>The sqlite3 program is not installed.</source>
        <translation>未安装 sqlite3 程序。</translation>
    </message>
    <message>
        <source>Nothing could be recovered from {path}: {detail}</source>
        <translation>无法从 {path} 恢复任何数据：{detail}</translation>
    </message>
    <message>
        <source>the damaged file's schema cannot be read</source>
        <translation>无法读取损坏文件的结构</translation>
    </message>
    <message>
        <source>{count} backups in {folder}</source>
        <translation>{folder} 中有 {count} 个备份</translation>
    </message>
    <message>
        <source>Backed up to {path} ({size:,} bytes).</source>
        <translation>已备份到 {path}（{size:,} 字节）。</translation>
    </message>
    <message>
        <source>Restored {backup}.</source>
        <translation>已从 {backup} 恢复。</translation>
    </message>
    <message>
        <source>The file it replaced is kept as {path}.</source>
        <translation>被替换的文件保留为 {path}。</translation>
    </message>
    <message>
        <source>Salvaged into {path}: {rows:,} rows in {tables} tables.</source>
        <translation>已抢救到 {path}：{tables} 张表共 {rows:,} 行。</translation>
    </message>
    <message>
        <source>{table}: {recovered:,} rows recovered, {lost} lost ({error})</source>
        <translation>{table}：恢复 {recovered:,} 行，丢失 {lost} 行（{error}）</translation>
    </message>
    <message>
        <source>{table}: nothing could be read</source>
        <translation>{table}：无法读取任何数据</translation>
    </message>
    <message>
        <source>{count} rows could not be placed in a table (see lost_and_found)</source>
        <translation>{count} 行无法归入任何表（见 lost_and_found）</translation>
    </message>
    <message>
        <source>Nothing was lost.</source>
        <translation>没有数据丢失。</translation>
    </message>
    <message>
        <source>Some data was lost; check the salvaged file before using it (crmdesk restore FILE).</source>
        <translation>部分数据已丢失；使用前请检查抢救出的文件（crmdesk restore FILE）。</translation>
    </message>
    <message>
        <source>back the database up now, or list its backups</source>
        <translation>立即备份数据库，或列出其备份</translation>
    </message>
    <message>
        <source>check a backup and put it in place of the database (the file replaced is kept)</source>
        <translation>检查备份并用它替换数据库（被替换的文件会保留）</translation>
    </message>
    <message>
        <source>copy what can be read from a damaged database into a new file</source>
        <translation>把损坏数据库中可读的数据复制到新文件</translation>
    </message>
    <message>
        <source>the new file to write</source>
        <translation>要写入的新文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>A name has at most 100 characters.</source>
        <translation>名称最多 100 个字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>A user name has at most 64 characters and no spaces.</source>
        <translation>用户名最多 64 个字符，且不能含空格。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Account locked</source>
        <translation>账号已锁定</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Account unlocked</source>
        <translation>账号已解锁</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Approval</source>
        <translation>审批</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Approval comment</source>
        <translation>审批意见</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/access.py"/>
        <source>Approve</source>
        <translation>审批</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Ask an administrator if you need it.</source>
        <translation>如有需要，请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Assignment rule</source>
        <translation>分配规则</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Buyer</source>
        <translation>买方</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Buyer's address</source>
        <translation>买方地址</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Buyer's contact</source>
        <translation>买方联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Buyer's credit code</source>
        <translation>买方统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Buyer's phone</source>
        <translation>买方电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>CLI token made</source>
        <translation>已创建命令行令牌</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>CLI token revoked</source>
        <translation>已吊销命令行令牌</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Cancelled at</source>
        <translation>取消时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Choose a data scope: {scopes}.</source>
        <translation>请选择数据范围：{scopes}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>Choose a password different from the current one.</source>
        <translation>新密码不能与当前密码相同。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>Choose a role from the list.</source>
        <translation>请从列表中选择角色。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Choose permissions from the list: {names}.</source>
        <translation>请从列表中选择权限：{names}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Claimed at</source>
        <translation>领取时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Closed at</source>
        <translation>关闭时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Confirmed at</source>
        <translation>确认时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Contract number</source>
        <translation>合同编号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Contract status</source>
        <translation>合同状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Contract title</source>
        <translation>合同标题</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Converted at</source>
        <translation>转化时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/access.py"/>
        <source>Create</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Decided at</source>
        <translation>审批时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Decided by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>Decrypted {path} ({rows:,} rows in {tables} tables checked).</source>
        <translation>已解密 {path}（已核对 {tables} 张表中的 {rows:,} 行）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/access.py"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Deleted at</source>
        <translation>删除时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Delivered at</source>
        <translation>交付时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Discount (%)</source>
        <translation>折扣（%）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Discount amount</source>
        <translation>折扣金额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Done at</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Dormant since</source>
        <translation>沉睡起始</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Due at</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Due on</source>
        <translation>到期日</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Duplicate of</source>
        <translation>重复于</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/access.py"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>Encrypted {path} ({rows:,} rows in {tables} tables checked).</source>
        <translation>已加密 {path}（已核对 {tables} 张表中的 {rows:,} 行）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Ends on</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>Enter a user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/access.py"/>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/access.py"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>File type</source>
        <translation>文件类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Finished on</source>
        <translation>完成日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Give the permissions of each role.</source>
        <translation>请给出每个角色的权限。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Given by</source>
        <translation>提供人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>In the public pool since</source>
        <translation>进入公海时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>Keep the passphrase safe: without it the book cannot be opened.</source>
        <translation>请妥善保管口令：没有它就无法打开数据库。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Largest discount</source>
        <translation>最大折扣</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Last follow-up</source>
        <translation>最近跟进</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Line total</source>
        <translation>行小计</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>List price</source>
        <translation>指导价</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Lost on</source>
        <translation>输单日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Made from</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Made from record</source>
        <translation>来源记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Manager's comment</source>
        <translation>经理意见</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Merge undone</source>
        <translation>已撤销合并</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Merged into</source>
        <translation>合并到</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Merged record</source>
        <translation>被合并记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>Name the token (what uses it), at most 100 characters.</source>
        <translation>请为令牌命名（用于什么），最多 100 个字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>New passphrase for {name}: </source>
        <translation>{name} 的新口令：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>No keychain is available on this computer to keep the key. Choose a passphrase instead.</source>
        <translation>这台电脑上没有可保存密钥的钥匙串。请改用口令。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>No passphrase was chosen; the database is unchanged.</source>
        <translation>未选择口令；数据库未作改动。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_auth.py"/>
        <source>No terminal to ask the password on: set CRMDESK_PASSWORD or use --token.</source>
        <translation>没有可输入密码的终端：请设置 CRMDESK_PASSWORD 或使用 --token。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>No terminal to type the passphrase in: give it in the environment variable {variable}.</source>
        <translation>没有可输入口令的终端：请在环境变量 {variable} 中提供。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>Not encrypted (it cannot be read): {path}</source>
        <translation>未加密（无法读取）：{path}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_audit.py"/>
        <source>Nothing recorded.</source>
        <translation>暂无记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_audit.py"/>
        <source>Older entries: raise --limit to see them.</source>
        <translation>还有更早的记录：调大 --limit 可查看。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Only administrators and managers can read the audit log.</source>
        <translation>只有管理员和经理可以查看审计日志。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Only an administrator may manage users, roles and tokens.</source>
        <translation>只有管理员可以管理用户、角色和令牌。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/access.py"/>
        <source>Own records</source>
        <translation>本人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/access.py"/>
        <source>Own team</source>
        <translation>本团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Paid</source>
        <translation>已付</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>Passphrase of {name}: </source>
        <translation>{name} 的口令：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_auth.py"/>
        <source>Password for {name}: </source>
        <translation>{name} 的密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Payer</source>
        <translation>付款方</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Payment</source>
        <translation>收款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Personal data shown</source>
        <translation>查看了个人信息</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Plan total</source>
        <translation>计划总额</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Previous version</source>
        <translation>上一版本</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Price list</source>
        <translation>价目表</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Printed (PDF made)</source>
        <translation>已打印（生成 PDF）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Quote number</source>
        <translation>报价单号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Quote status</source>
        <translation>报价状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Received on</source>
        <translation>收款日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Reference</source>
        <translation>参考号</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Row {row} of the file cannot be read as CSV ({detail}); nothing was imported.</source>
        <translation>文件第 {row} 行无法按 CSV 读取（{detail}）；未导入任何记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/importer.py"/>
        <source>Row {row} of the workbook {name} cannot be read; nothing was imported.</source>
        <translation>工作簿 {name} 的第 {row} 行无法读取；未导入任何记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/access.py"/>
        <source>See</source>
        <translation>查看</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/access.py"/>
        <source>See personal data unmasked</source>
        <translation>查看未脱敏的个人信息</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Seller</source>
        <translation>卖方</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Sent at</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Sign-in failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Signed in</source>
        <translation>已登录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Size (bytes)</source>
        <translation>大小（字节）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Starts on</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>Still encrypted (it does not open with the key): {path}</source>
        <translation>仍为加密（无法用该密钥打开）：{path}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Terminated on</source>
        <translation>终止日期</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>The administrator keeps every permission over the whole book.</source>
        <translation>管理员始终拥有对全部数据的所有权限。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>The backup taken before: {path}</source>
        <translation>之前做的备份：{path}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/backups.py"/>
        <source>The backup {name} does not open with this book's key: it was encrypted with another key, or it is damaged.</source>
        <translation>备份 {name} 无法用此数据库的密钥打开：它用另一个密钥加密，或已损坏。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/backups.py"/>
        <source>The backup {name} is not an SQLite database, or it is encrypted and needs its book's key.</source>
        <translation>备份 {name} 不是 SQLite 数据库，或已加密、需要其数据库的密钥。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>The book already has an administrator; sign in instead.</source>
        <translation>此数据库已有管理员；请直接登录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The book is being converted; try again in a moment.</source>
        <translation>数据库正在转换；请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>The book needs at least one active administrator.</source>
        <translation>数据库至少需要一名启用的管理员。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The converted copy cannot be put in place of {path}: {detail}</source>
        <translation>转换后的副本无法替换 {path}：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The converted copy does not match the database ({detail}); nothing was changed.</source>
        <translation>转换后的副本与数据库不一致（{detail}）；未作任何改动。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>The current password is wrong.</source>
        <translation>当前密码不正确。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The database {path} cannot be converted: {detail}</source>
        <translation>数据库 {path} 无法转换：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The database {path} is already encrypted.</source>
        <translation>数据库 {path} 已经加密。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The database {path} is damaged ({detail}); restore a backup before converting it.</source>
        <translation>数据库 {path} 已损坏（{detail}）；请先恢复备份再转换。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>The database {path} is encrypted and its key is not in this computer's keychain. Give its passphrase in the environment variable {variable}, or run the command in a terminal to type it.</source>
        <translation>数据库 {path} 已加密，本机钥匙串中没有它的密钥。请在环境变量 {variable} 中提供口令，或在终端中运行命令以输入口令。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli.py"/>
        <source>The database {path} is encrypted and the key or passphrase given does not open it.</source>
        <translation>数据库 {path} 已加密，所给的密钥或口令无法打开它。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>The database {path} is not encrypted.</source>
        <translation>数据库 {path} 未加密。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The database {path} is open in another program (crmdesk, a sync, a command); close it and try again.</source>
        <translation>数据库 {path} 正被其他程序（crmdesk、同步或命令）打开；请关闭后重试。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>The database {path} was not opened: the passphrase was wrong {count} times.</source>
        <translation>未打开数据库 {path}：口令错误 {count} 次。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>The end of the period is before its start.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/catalog.py"/>
        <source>The file cannot be read as CSV: {detail}</source>
        <translation>文件无法按 CSV 读取：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>The key is kept in the keychain ({name}).</source>
        <translation>密钥保存在钥匙串（{name}）中。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The key or passphrase does not open the database {path}.</source>
        <translation>该密钥或口令无法打开数据库 {path}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The keychain did not keep the key ({detail}). Choose a passphrase instead.</source>
        <translation>钥匙串未能保存密钥（{detail}）。请改用口令。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The keychain did not keep the key. Choose a passphrase instead.</source>
        <translation>钥匙串未能保存密钥。请改用口令。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The passphrase cannot contain a NUL character.</source>
        <translation>口令不能包含 NUL 字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The passphrase is wrong.</source>
        <translation>口令不正确。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The passphrase needs at least {count} characters.</source>
        <translation>口令至少需要 {count} 个字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>The password cannot be the user name.</source>
        <translation>密码不能与用户名相同。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>The password cannot contain control characters.</source>
        <translation>密码不能包含控制字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>The password is too easy to guess; mix more characters.</source>
        <translation>密码太容易被猜到；请混用更多不同的字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>The same passphrase again: </source>
        <translation>再次输入同一口令：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/analytics.py"/>
        <source>The target is an amount in yuan above 0, e.g. 5000000.</source>
        <translation>目标须为大于 0 的金额（元），例如 5000000。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>The token is not valid (unknown, revoked, or its administrator was removed).</source>
        <translation>令牌无效（未知、已吊销，或其管理员已被删除）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/encryption.py"/>
        <source>The two passphrases are not the same.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>The user name or the password is wrong.</source>
        <translation>用户名或密码不正确。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>This account is disabled. Ask an administrator.</source>
        <translation>此账号已停用。请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_auth.py"/>
        <source>This book needs a sign-in: give --user NAME (the password is asked) or an administrator's --token.</source>
        <translation>此数据库需要登录：请给出 --user 用户名（会询问密码）或管理员的 --token。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>This user name is taken.</source>
        <translation>该用户名已被使用。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>Too many wrong passwords: the account is locked for {n} minutes.</source>
        <translation>密码错误次数过多：账号已锁定 {n} 分钟。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>Too many wrong passwords: the account is locked for {n} more minutes.</source>
        <translation>密码错误次数过多：账号还将锁定 {n} 分钟。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Unknown kind of record: {entity}.</source>
        <translation>未知的记录类型：{entity}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Unknown roles: {roles}.</source>
        <translation>未知的角色：{roles}。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Unknown user</source>
        <translation>未知用户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>Use at least {n} characters.</source>
        <translation>请至少使用 {n} 个字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>Use at most {n} characters.</source>
        <translation>最多使用 {n} 个字符。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>VAT rate</source>
        <translation>增值税率</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Warned at</source>
        <translation>提醒时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>Warning: this keychain keeps the key in a plain file; anyone who can read your files can read it. A passphrase (--passphrase-prompt) is safer here.</source>
        <translation>警告：此钥匙串把密钥保存在未加密的文件中；能读取你文件的人都能读到它。在这里使用口令（--passphrase-prompt）更安全。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Why cancelled</source>
        <translation>取消原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Why terminated</source>
        <translation>终止原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Your role may not approve.</source>
        <translation>你的角色无审批权限。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Your role may not change records.</source>
        <translation>你的角色无权修改记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Your role may not create records.</source>
        <translation>你的角色无权新建记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Your role may not delete records.</source>
        <translation>你的角色无权删除记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Your role may not export or print records.</source>
        <translation>你的角色无权导出或打印记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Your role may not see personal data unmasked.</source>
        <translation>你的角色无权查看未脱敏的个人信息。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/permissions.py"/>
        <source>Your role may not see the book's records.</source>
        <translation>你的角色无权查看数据库中的记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_audit.py"/>
        <source>a record's change history: who changed what, when, from what to what</source>
        <translation>记录的变更历史：谁在何时把什么从何值改为何值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>ask for a passphrase (typed twice; CRMDESK_DB_PASSPHRASE without a terminal) instead of keeping a key in the keychain</source>
        <translation>询问口令（输入两次；无终端时读取 CRMDESK_DB_PASSPHRASE），而不是把密钥保存在钥匙串中</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>encrypt the database (and its backups) with a key kept in the keychain, or a passphrase</source>
        <translation>用保存在钥匙串中的密钥或口令加密数据库（及其备份）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_audit.py"/>
        <source>how many entries, newest first (default 50)</source>
        <translation>显示条数，最新的在前（默认 50）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_audit.py"/>
        <source>lead, customer, contact, opportunity, quote, contract, order, payment_plan, payment, ...</source>
        <translation>lead、customer、contact、opportunity、quote、contract、order、payment_plan、payment 等</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_auth.py"/>
        <source>sign in as this user (the password is asked, or read from CRMDESK_PASSWORD)</source>
        <translation>以此用户登录（会询问密码，或从 CRMDESK_PASSWORD 读取）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_auth.py"/>
        <source>sign in with an administrator's token (or set CRMDESK_TOKEN)</source>
        <translation>用管理员令牌登录（或设置 CRMDESK_TOKEN）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_audit.py"/>
        <source>the record's id</source>
        <translation>记录的 ID</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>turn an encrypted database (and its backups) back into plain SQLite files</source>
        <translation>把加密的数据库（及其备份）还原为未加密的 SQLite 文件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>{count} backups and kept copies were decrypted too.</source>
        <translation>{count} 个备份和保留副本也已解密。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_encrypt.py"/>
        <source>{count} backups and kept copies were encrypted too.</source>
        <translation>{count} 个备份和保留副本也已加密。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/audit.py"/>
        <source>Installment status</source>
        <translation>分期状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/customer360.py"/>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/analytics.py"/>
        <source>A manager sets the targets of their own team and its members; the company's and other teams' targets are an administrator's.</source>
        <translation>经理只能设置本团队及其成员的目标；公司和其他团队的目标由管理员设置。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/pg_cluster.py"/>
        <source>Cannot create the database {name}: {detail}</source>
        <translation>无法创建数据库 {name}：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/pg_cluster.py"/>
        <source>Neither runuser nor setpriv is installed, so PostgreSQL cannot be started as root.</source>
        <translation>未安装 runuser 或 setpriv，无法以 root 身份启动 PostgreSQL。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/pg_cluster.py"/>
        <source>No temp folder that the user {user} can write to (tried {folders}).</source>
        <translation>找不到用户 {user} 可写入的临时文件夹（已尝试：{folders}）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/pg_cluster.py"/>
        <source>PostgreSQL's server programs (initdb, pg_ctl) were not found on PATH or in {folder}. Install them (Debian: apt-get install postgresql) and try again.</source>
        <translation>在 PATH 和 {folder} 中都找不到 PostgreSQL 的服务器程序（initdb、pg_ctl）。请先安装（Debian：apt-get install postgresql）后重试。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/pg_cluster.py"/>
        <source>The PostgreSQL test server did not start: {detail}</source>
        <translation>PostgreSQL 测试服务器未能启动：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/pg_cluster.py"/>
        <source>The PostgreSQL test server is not running.</source>
        <translation>PostgreSQL 测试服务器未在运行。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/pg_cluster.py"/>
        <source>There is no unprivileged user (postgres or nobody) to run PostgreSQL as.</source>
        <translation>没有可用于运行 PostgreSQL 的非特权用户（postgres 或 nobody）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/pg_cluster.py"/>
        <source>{program} failed: {detail}</source>
        <translation>{program} 执行失败：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/hub.py"/>
        <source>A hub address starts with postgresql://, e.g. postgresql://wanglei@hub.example.com/crmdesk.</source>
        <translation>中心服务器地址以 postgresql:// 开头，例如 postgresql://wanglei@hub.example.com/crmdesk。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/hub.py"/>
        <source>A hub login is lower-case letters, digits, '_', '.' or '-' (at most 63), e.g. wanglei.</source>
        <translation>中心服务器登录名由小写字母、数字、“_”、“.”或“-”组成（最多 63 个），例如 wanglei。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/hub.py"/>
        <source>The hub schema could not be created: {detail}</source>
        <translation>无法创建中心服务器的数据结构：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/hub.py"/>
        <source>The hub {host} cannot be reached: {detail}</source>
        <translation>无法连接中心服务器 {host}：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/hub.py"/>
        <source>This database is not a crmdesk hub yet: run crmdesk hub init first.</source>
        <translation>此数据库还不是 crmdesk 中心服务器：请先运行 crmdesk hub init。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/hub_credentials.py"/>
        <source>The keychain did not keep the hub password ({detail}).</source>
        <translation>系统钥匙串未能保存中心服务器密码（{detail}）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>Hub password for {login}: </source>
        <translation>{login} 的中心服务器密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>No hub is set for this book: give --hub postgresql://LOGIN@HOST/DATABASE.</source>
        <translation>此账套尚未设置中心服务器：请给出 --hub postgresql://登录名@主机/数据库。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>Pushed {pushed}, pulled {pulled}, conflicts {conflicts} ({seconds:.1f} s).</source>
        <translation>上传 {pushed}，下载 {pulled}，冲突 {conflicts}（{seconds:.1f} 秒）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/sync.py"/>
        <source>The connection to the hub was lost: {detail}</source>
        <translation>与中心服务器的连接已断开：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/sync.py"/>
        <source>The hub refused the sync: {detail}</source>
        <translation>中心服务器拒绝了同步：{detail}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>The hub {url} is ready (schema {revision}).</source>
        <translation>中心服务器 {url} 已就绪（数据结构 {revision}）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>The same password again: </source>
        <translation>再次输入同一密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/sync.py"/>
        <source>This computer's clock is {minutes} minutes ahead of the hub's; set the right time (and time zone) and sync again. Nothing was sent.</source>
        <translation>这台电脑的时钟比中心服务器快 {minutes} 分钟；请调准时间（和时区）后再同步。未上传任何内容。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/sync.py"/>
        <source>This conflict is not open any more.</source>
        <translation>此冲突已处理。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/sync.py"/>
        <source>This login is not a user of the hub; ask the administrator to run crmdesk hub add-user for it.</source>
        <translation>此登录名不是中心服务器的用户；请管理员为它运行 crmdesk hub add-user。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>create or upgrade the hub's schema</source>
        <translation>创建或升级中心服务器的数据结构</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>give a user of this book a login on the hub, with their role and scope</source>
        <translation>为本账套的用户开通中心服务器登录，沿用其角色和数据范围</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>push this book's changes to the hub and pull the others'</source>
        <translation>把本账套的修改上传到中心服务器，并下载其他人的修改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>the hub (default: the one this book synced with last)</source>
        <translation>中心服务器（默认：本账套上次同步的那个）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>the hub's PostgreSQL database, e.g. postgresql://crmdesk@hub.example.com/crmdesk</source>
        <translation>中心服务器的 PostgreSQL 数据库，例如 postgresql://crmdesk@hub.example.com/crmdesk</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>the hub's logins</source>
        <translation>中心服务器的登录名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>the login on the hub (default: the user name)</source>
        <translation>中心服务器上的登录名（默认：用户名）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>the team hub on PostgreSQL: create it, give users a login</source>
        <translation>基于 PostgreSQL 的团队中心服务器：创建它，为用户开通登录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>the user's name in the book</source>
        <translation>用户在账套中的用户名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>{count} changes were refused by the hub: the records belong to someone else now.</source>
        <translation>中心服务器拒绝了 {count} 项修改：这些记录现在属于其他人。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/cli_sync.py"/>
        <source>{login} may sync with the hub as {name} ({role}, scope {scope}).</source>
        <translation>{login} 现在可以以 {name}（{role}，数据范围 {scope}）的身份与中心服务器同步。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>Set your own password first (create the first administrator), then give others theirs: otherwise nobody could sign in to manage the book.</source>
        <translation>请先设置您自己的密码（创建首位管理员），再为其他人设置：否则将没有人能登录来管理此账套。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/services/auth.py"/>
        <source>Too many wrong passwords: the account is locked for one more minute.</source>
        <translation>密码错误次数过多：账号还将锁定 1 分钟。</translation>
    </message>
</context>
<context>
    <name>codes.lead.qualification</name>
    <message>
        <location filename="../../crmdesk/labels.py"/>
        <source>MQL (marketing qualified)</source>
        <translation>营销合格线索（MQL）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/labels.py"/>
        <source>SQL (accepted by sales)</source>
        <translation>销售合格线索（SQL）</translation>
    </message>
</context>
<context>
    <name>BandTable</name>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Add band</source>
        <translation>添加区间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Below ({unit})</source>
        <translation>小于（{unit}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>From ({unit})</source>
        <translation>从（{unit}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Leave “below” empty for a band with no upper limit.</source>
        <translation>“小于”留空表示没有上限。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Points</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Remove band</source>
        <translation>删除区间</translation>
    </message>
</context>
<context>
    <name>LeadLifecycleActions</name>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Accept (SQL)</source>
        <translation>接受（SQL）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Mark invalid…</source>
        <translation>标为无效…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Put an invalid lead back in work</source>
        <translation>将无效线索重新投入跟进</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Reopen</source>
        <translation>重新激活</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Sales accepts the marketing qualified lead: it becomes an SQL</source>
        <translation>销售接受此营销合格线索，使其成为销售合格线索（SQL）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>The lead is no use: say why (wrong number, not interested, …)</source>
        <translation>线索无效：说明原因（空号、无意向……）</translation>
    </message>
</context>
<context>
    <name>LeadRulesDialog</name>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Duplicate rule · {rule}</source>
        <translation>查重规则 · {rule}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Duplicate rules</source>
        <translation>查重规则</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Names spelled at least this much alike count as one</source>
        <translation>姓名相似度达到此值即视为同名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Score (1–100)</source>
        <translation>分值（1–100）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Similar names</source>
        <translation>相似姓名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Used by the two name rules. Names that sound the same (same pinyin, e.g. {first} and {second}) always count; 100%: no other spelling differences.</source>
        <translation>用于两条姓名规则。读音相同的姓名（拼音相同，如{first}和{second}）始终视为同名；100% 表示不允许其他写法差异。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Which records count as likely duplicates, and the score each rule gives a pair it finds. A pair found by several rules scores higher; groups are listed best score first.</source>
        <translation>哪些记录算作疑似重复（查重），以及每条规则给找到的一对记录打多少分。同时符合多条规则的一对记录得分更高；重复组按得分从高到低排列。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>A fixed user</source>
        <translation>指定用户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>A lead becomes MQL from a score of</source>
        <translation>评分达到此值即成为 MQL</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Add reason</source>
        <translation>添加原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Assignment</source>
        <translation>分配规则</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Assignment rule {number}</source>
        <translation>分配规则第 {number} 条</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Assignment rules</source>
        <translation>分配规则</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Budget bands</source>
        <translation>预算区间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Budget, row {number}</source>
        <translation>预算区间第 {number} 行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Capacity</source>
        <translation>容量上限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Capacity: a rep with this many open leads is skipped</source>
        <translation>容量上限：跟进中的线索达到上限的销售将被跳过</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Company size bands</source>
        <translation>公司规模区间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Company size, row {number}</source>
        <translation>公司规模区间第 {number} 行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Conditions</source>
        <translation>条件</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Done activities in the last</source>
        <translation>最近已完成活动的天数</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Engagement at most</source>
        <translation>互动得分上限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Every lead</source>
        <translation>所有线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Every rep at most</source>
        <translation>每位销售最多</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Given to</source>
        <translation>分配给</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Intended product given</source>
        <translation>填写了意向产品</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Intended purchase within</source>
        <translation>计划购买日期在</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Intent, engagement and the MQL threshold</source>
        <translation>意向、互动与 MQL 阈值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Intent, engagement and threshold</source>
        <translation>意向、互动与阈值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Invalid reason, row {number}</source>
        <translation>无效原因第 {number} 行</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Invalid reasons</source>
        <translation>无效原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Label</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Lead rules: scoring, assignment, duplicates</source>
        <translation>线索规则：评分、分配、查重</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Lead source</source>
        <translation>线索来源</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Most open leads (empty: as above)</source>
        <translation>最多跟进中线索（留空：同上）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Nothing was saved. Please correct:</source>
        <translation>未保存任何内容，请更正：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Own words allowed</source>
        <translation>可附加说明</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Points</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Points by budget</source>
        <translation>按预算得分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Points by company size</source>
        <translation>按公司规模得分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Points by source</source>
        <translation>按来源得分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Points by source · {source}</source>
        <translation>按来源得分 · {source}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Product contains</source>
        <translation>产品包含</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Province</source>
        <translation>省份</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Remove reason</source>
        <translation>删除原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Rule {number}</source>
        <translation>规则 {number}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Rules are tried from the top for each new or imported lead without an owner; the first that matches and has room gets it.</source>
        <translation>对每条没有负责人的新建或导入线索，从上到下依次尝试规则；第一条匹配且有容量的规则获得该线索。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Sales rep</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Scoring</source>
        <translation>评分规则</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Size {low}–{high} employees</source>
        <translation>规模 {low}–{high} 人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Team in turns: {name}</source>
        <translation>团队轮流：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Territory</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>The public pool (no owner)</source>
        <translation>公海（无负责人）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>The reasons offered when a lead is marked invalid.</source>
        <translation>将线索标为无效时可选的原因。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>The score is the sum of the points, kept between 0 and 100. A band counts from its first value up to, not including, its limit; an empty limit: no upper end.</source>
        <translation>评分为各项得分之和，限定在 0 到 100 之间。区间包含起点、不含上限；上限留空表示没有上限。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>User: {name}</source>
        <translation>用户：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>When no rule matches</source>
        <translation>没有规则匹配时</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Whoever enters or imports the lead</source>
        <translation>录入或导入线索的人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>employees</source>
        <translation>人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>points</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>points each</source>
        <translation>每个得分</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>yuan</source>
        <translation>元</translation>
    </message>
</context>
<context>
    <name>MarkInvalidDialog</name>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Mark invalid</source>
        <translation>标为无效</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Mark invalid: {name}</source>
        <translation>标为无效：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Your own words (only for a reason that allows them)</source>
        <translation>附加说明（仅限可附加说明的原因，如“其他”）</translation>
    </message>
</context>
<context>
    <name>RuleEditorDialog</name>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>A lead matches when it meets every condition given; empty conditions match every lead.</source>
        <translation>线索满足所有已填写的条件时匹配；条件留空则匹配所有线索。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>A team, in turns (round robin)</source>
        <translation>团队内轮流分配</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>A user</source>
        <translation>指定用户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Assignment rule</source>
        <translation>分配规则</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Cities</source>
        <translation>城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Company size</source>
        <translation>公司规模</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Give the lead to</source>
        <translation>线索分配给</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Industries</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Intended product contains</source>
        <translation>意向产品包含</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Provinces</source>
        <translation>省份</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Rule is on</source>
        <translation>启用此规则</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>Territories</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>The public pool (no owner)</source>
        <translation>公海（无负责人）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>employees</source>
        <translation>人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/lead_rules_page.py"/>
        <source>several: separate with commas</source>
        <translation>多个用逗号分隔</translation>
    </message>
</context>
<context>
    <name>DuplicateGroupModel</name>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Cities</source>
        <translation>城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Last updated</source>
        <translation>最近更新</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Phones</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Score</source>
        <translation>相似度</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Every merge made, and undo of any that can still be undone</source>
        <translation>查看每一次合并，撤销仍可撤销的合并</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Merge history…</source>
        <translation>合并记录…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Check again</source>
        <translation>重新查重</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Customers only</source>
        <translation>仅客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Duplicates</source>
        <translation>查重</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Duplicates of this record</source>
        <translation>此记录的重复项</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Keep one record, take the right value for each field, move everything linked to it</source>
        <translation>保留一条记录，逐个字段选择要保留的值，并把关联的数据全部移到这条记录上</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Leads and customers</source>
        <translation>线索和客户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Leads only</source>
        <translation>仅线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Looking for duplicates…</source>
        <translation>正在查重…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Mark these {count} records as different? They will not be offered as duplicates again.</source>
        <translation>将这 {count} 条记录标记为不重复？以后不会再把它们列为重复。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Marked as not duplicates.</source>
        <translation>已标记为不重复。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Merge undone.</source>
        <translation>已撤销合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Merged: {count} records folded into one. You can undo it.</source>
        <translation>已合并：{count} 条记录合为一条，可以撤销。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Merge…</source>
        <translation>合并…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>No duplicates found.</source>
        <translation>没有发现重复。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Not duplicates</source>
        <translation>不是重复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Records of the chosen group</source>
        <translation>所选组的记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>These records are different people or companies: never offer them again</source>
        <translation>这些记录是不同的人或公司：以后不再列为重复</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Undo merge</source>
        <translation>撤销合并</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>{count} groups of likely duplicates, best match first.</source>
        <translation>发现 {count} 组疑似重复，按相似度从高到低排列。</translation>
    </message>
</context>
<context>
    <name>GroupMemberModel</name>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/duplicates.py"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Choose the record to keep and, for each field that differs, the value it keeps. The other records are folded into it; every value stays in the merge history and the merge can be undone.</source>
        <translation>选择要保留的记录，并为每个不同的字段选择保留的值。其他记录将合并到这条记录中；所有值都保存在合并记录里，合并可以撤销。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Keep all texts, one after another</source>
        <translation>保留全部文字（依次连接）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Keep:</source>
        <translation>保留：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Kept: {name}</source>
        <translation>保留：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Merge records</source>
        <translation>合并记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Merged: {name}</source>
        <translation>并入：{name}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Nothing is linked to the other records. {count} record(s) will be folded into the kept one.</source>
        <translation>其他记录没有关联数据。将有 {count} 条记录并入保留的记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>Will move to the kept record: {items}. {count} record(s) will be folded into it.</source>
        <translation>将移到保留的记录：{items}。将有 {count} 条记录并入。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{count} contacts</source>
        <translation>{count} 个联系人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{count} contracts</source>
        <translation>{count} 份合同</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{count} converted leads</source>
        <translation>{count} 条已转化线索</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{count} follow-ups</source>
        <translation>{count} 条跟进</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{count} opportunities</source>
        <translation>{count} 个商机</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{count} orders</source>
        <translation>{count} 个订单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{count} payment plans</source>
        <translation>{count} 个回款计划</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{count} payments</source>
        <translation>{count} 笔回款</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{count} quotes</source>
        <translation>{count} 份报价单</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{count} test drives</source>
        <translation>{count} 次试乘试驾</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_dialog.py"/>
        <source>{kind} {name} (updated {updated})</source>
        <translation>{kind} {name}（更新于 {updated}）</translation>
    </message>
</context>
<context>
    <name>MergeHistoryDialog</name>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>A later merge into “{name}” is still in place: undo that one first.</source>
        <translation>之后还有合并到“{name}”的操作仍然有效：请先撤销那一次。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Already undone.</source>
        <translation>已撤销。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Bring “{name}” back as it was before the merge</source>
        <translation>把“{name}”恢复为合并前的样子</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Every merge of leads and customers, newest first. Undoing a merge brings the merged record back with its linked records.</source>
        <translation>线索和客户的每一次合并，最新的在前。撤销合并会恢复被合并的记录及其关联数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>In place</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Kept</source>
        <translation>保留的记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Linked rows moved</source>
        <translation>移动的关联数据</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Merge history</source>
        <translation>合并记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Merge undone: “{name}” is back, with {count} linked rows.</source>
        <translation>已撤销合并：“{name}”已恢复，移回 {count} 条关联数据。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Merged into it</source>
        <translation>被合并的记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>No merges yet.</source>
        <translation>还没有合并过记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Show older merges</source>
        <translation>显示更早的合并</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>Undone {at}</source>
        <translation>已于 {at} 撤销</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>{count} merges shown.</source>
        <translation>显示 {count} 次合并。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/merge_history.py"/>
        <source>“{name}” has since been merged into another record: undo that merge first.</source>
        <translation>“{name}”之后又被合并到了其他记录：请先撤销那次合并。</translation>
    </message>
</context>
<context>
    <name>codes.lost_request.status</name>
    <message>
        <source>Pending</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
</context>
<context>
    <name>codes.test_drive.status</name>
    <message>
        <source>Booked</source>
        <translation>已预约</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>试驾中</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已还车</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>TestDriveDialog</name>
    <message>
        <source>Test drive: {name}</source>
        <translation>试乘试驾：{name}</translation>
    </message>
    <message>
        <source>Customer: {name}</source>
        <translation>客户：{name}</translation>
    </message>
    <message>
        <source>Booking</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>(choose a vehicle)</source>
        <translation>（请选择车型）</translation>
    </message>
    <message>
        <source>17 characters</source>
        <translation>17 位</translation>
    </message>
    <message>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <source>Consultant</source>
        <translation>销售顾问</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>试驾车型</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌号</translation>
    </message>
    <message>
        <source>VIN</source>
        <translation>车架号</translation>
    </message>
    <message>
        <source>Booked for</source>
        <translation>预约时间</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Driver (required before the car goes out)</source>
        <translation>驾驶人（出车前必填）</translation>
    </message>
    <message>
        <source>e.g. 13812345678</source>
        <translation>如 13812345678</translation>
    </message>
    <message>
        <source>18 characters, checked as you type</source>
        <translation>18 位，输入时即校验</translation>
    </message>
    <message>
        <source>Usually the ID number (12–18 letters or digits)</source>
        <translation>一般即身份证号（12–18 位字母或数字）</translation>
    </message>
    <message>
        <source>Driver's name</source>
        <translation>驾驶人姓名</translation>
    </message>
    <message>
        <source>Driver's mobile</source>
        <translation>驾驶人手机</translation>
    </message>
    <message>
        <source>Resident ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Driving licence number</source>
        <translation>驾驶证号</translation>
    </message>
    <message>
        <source>Check-out and return</source>
        <translation>出车与还车</translation>
    </message>
    <message>
        <source>km on the odometer</source>
        <translation>里程表读数（公里）</translation>
    </message>
    <message>
        <source>Start odometer (km)</source>
        <translation>出车里程（公里）</translation>
    </message>
    <message>
        <source>End odometer (km)</source>
        <translation>还车里程（公里）</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Check out</source>
        <translation>出车</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>还车</translation>
    </message>
    <message>
        <source>Cancel test drive…</source>
        <translation>取消试驾…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>(closed opportunity)</source>
        <translation>（已关闭的商机）</translation>
    </message>
    <message>
        <source>New booking</source>
        <translation>新预约</translation>
    </message>
    <message>
        <source>Out at {time}</source>
        <translation>出车 {time}</translation>
    </message>
    <message>
        <source>back at {time}</source>
        <translation>还车 {time}</translation>
    </message>
    <message>
        <source>{km} km: counts as a test drive done</source>
        <translation>{km} 公里：计为试驾完成</translation>
    </message>
    <message>
        <source>{km} km: too short, a test drive counts only above {min} km</source>
        <translation>{km} 公里：里程过短，超过 {min} 公里才计为试驾完成</translation>
    </message>
    <message>
        <source>Please correct the marked fields.</source>
        <translation>请更正标出的字段。</translation>
    </message>
    <message>
        <source>Cancel test drive</source>
        <translation>取消试驾</translation>
    </message>
    <message>
        <source>Why is the test drive cancelled?</source>
        <translation>取消试驾的原因：</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>不取消</translation>
    </message>
    <message>
        <source>e.g. {plate}</source>
        <translation>如 {plate}</translation>
    </message>
</context>
<context>
    <name>TodayTestDrivesDialog</name>
    <message>
        <source>Today's test drives</source>
        <translation>今日试驾</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌号</translation>
    </message>
    <message>
        <source>Consultant</source>
        <translation>销售顾问</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Check out…</source>
        <translation>出车…</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>还车…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>{booked} booked, {out} out now</source>
        <translation>已预约 {booked} 个，试驾中 {out} 个</translation>
    </message>
</context>
<context>
    <name>LostRequestDialog</name>
    <message>
        <source>Request to mark as lost</source>
        <translation>战败申请</translation>
    </message>
    <message>
        <source>&lt;b&gt;{deal}&lt;/b&gt; — {customer}, {amount}</source>
        <translation>&lt;b&gt;{deal}&lt;/b&gt; — {customer}，{amount}</translation>
    </message>
    <message>
        <source>The opportunity stays open until a manager approves. On approval the customer becomes dormant and, with no other open opportunity, goes to the public pool.</source>
        <translation>经理批准前商机保持进行中。批准后客户转为休眠；若客户没有其他进行中的商机，则退回公海。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>战败原因</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Submit request</source>
        <translation>提交申请</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Rejected by {name} on {time}: {comment}</source>
        <translation>{name} 于 {time} 驳回：{comment}</translation>
    </message>
    <message>
        <source>A request ({reason}) is already waiting since {time}.</source>
        <translation>已有一份申请（{reason}）自 {time} 起等待审批。</translation>
    </message>
    <message>
        <source>Say what happened (required for this reason)</source>
        <translation>请说明具体情况（此原因必填）</translation>
    </message>
    <message>
        <source>What happened (optional)</source>
        <translation>具体情况（选填）</translation>
    </message>
    <message>
        <source>Please correct the marked fields.</source>
        <translation>请更正标出的字段。</translation>
    </message>
</context>
<context>
    <name>LostApprovalsDialog</name>
    <message>
        <source>Lost approvals</source>
        <translation>战败审批</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Consultant</source>
        <translation>销售顾问</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>战败原因</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Days waiting</source>
        <translation>等待天数</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>审批意见</translation>
    </message>
    <message>
        <source>Required to reject: the rep reads it</source>
        <translation>驳回时必填，销售顾问可见</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Only a manager can approve or reject a lost request.</source>
        <translation>只有经理可以批准或驳回战败申请。</translation>
    </message>
    <message>
        <source>{count} requests waiting</source>
        <translation>{count} 份申请待审批</translation>
    </message>
    <message>
        <source>No lost requests are waiting.</source>
        <translation>没有待审批的战败申请。</translation>
    </message>
    <message>
        <source>Please correct the marked fields.</source>
        <translation>请更正标出的字段。</translation>
    </message>
</context>
<context>
    <name>RowActions</name>
    <message>
        <source>Book a test drive…</source>
        <translation>预约试驾…</translation>
    </message>
    <message>
        <source>Request to mark as lost…</source>
        <translation>申请战败…</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>重新激活</translation>
    </message>
    <message>
        <source>Only a dormant customer can be reactivated.</source>
        <translation>只有休眠客户可以重新激活。</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign customers</source>
        <translation>分配客户</translation>
    </message>
    <message>
        <source>Assign to:</source>
        <translation>分配给：</translation>
    </message>
    <message>
        <source>{count} customers selected.</source>
        <translation>已选 {count} 个客户。</translation>
    </message>
</context>
<context>
    <name>PoolPage</name>
    <message>
        <source>Assign</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Assign to…</source>
        <translation>分配给…</translation>
    </message>
    <message>
        <source>Caps, daily claim limit, reclaim days and customer tiers</source>
        <translation>名下上限、每日领取上限、回收天数和客户分级</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>领取</translation>
    </message>
    <message>
        <source>Claimed today {claimed} / limit {limit}; you own {owned} / cap {cap}</source>
        <translation>今日已领取 {claimed} / 上限 {limit}，名下客户 {owned} / 上限 {cap}</translation>
    </message>
    <message>
        <source>My customers about to go back to the pool</source>
        <translation>我名下即将回收到公海的客户</translation>
    </message>
    <message>
        <source>None: every customer you own was followed up in time.</source>
        <translation>暂无：名下客户都已按时跟进。</translation>
    </message>
    <message>
        <source>Not claimed:</source>
        <translation>未领取：</translation>
    </message>
    <message>
        <source>Rules…</source>
        <translation>公海规则…</translation>
    </message>
    <message>
        <source>Search name, pinyin initials, phone…</source>
        <translation>搜索姓名、拼音首字母、电话…</translation>
    </message>
    <message>
        <source>Select the customers to assign first.</source>
        <translation>请先选择要分配的客户。</translation>
    </message>
    <message>
        <source>Select the customers to claim first.</source>
        <translation>请先选择要领取的客户。</translation>
    </message>
    <message>
        <source>Take the selected customers as yours</source>
        <translation>把选中的客户领取到自己名下</translation>
    </message>
    <message>
        <source>no tier</source>
        <translation>未分级</translation>
    </message>
    <message>
        <source>none</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>tier {tier}</source>
        <translation>{tier} 类</translation>
    </message>
    <message>
        <source>{count} customers assigned to {name}.</source>
        <translation>已将 {count} 个客户分配给{name}。</translation>
    </message>
    <message>
        <source>{count} customers claimed: they are yours now.</source>
        <translation>已领取 {count} 个客户，现归您跟进。</translation>
    </message>
    <message>
        <source>{count} customers in the public pool</source>
        <translation>公海共 {count} 个客户</translation>
    </message>
    <message>
        <source>{name} ({tier}): back to the pool in {days} days ({date}); follow it up in time</source>
        <translation>{name}（{tier}）：{days} 天后（{date}）回收到公海，请及时跟进</translation>
    </message>
    <message>
        <source>{name} now owns {owned} customers, over the cap of {cap}.</source>
        <translation>{name}名下现有 {owned} 个客户，已超过上限 {cap}。</translation>
    </message>
</context>
<context>
    <name>PoolRoles</name>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Field rep</source>
        <translation>外勤销售</translation>
    </message>
    <message>
        <source>Finance</source>
        <translation>财务</translation>
    </message>
    <message>
        <source>Sales consultant</source>
        <translation>销售顾问</translation>
    </message>
    <message>
        <source>Sales manager</source>
        <translation>销售经理</translation>
    </message>
</context>
<context>
    <name>PoolRowActions</name>
    <message>
        <source>Release to the public pool…</source>
        <translation>释放到公海…</translation>
    </message>
    <message>
        <source>The customer is in the public pool already.</source>
        <translation>该客户已在公海中。</translation>
    </message>
</context>
<context>
    <name>PoolRulesDialog</name>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>A from (yuan):</source>
        <translation>A 类起点（元）：</translation>
    </message>
    <message>
        <source>A rep who gave a customer up may claim it again after:</source>
        <translation>释放或被回收后，本人再次领取需间隔：</translation>
    </message>
    <message>
        <source>B from (yuan, below: C):</source>
        <translation>B 类起点（元，以下为 C 类）：</translation>
    </message>
    <message>
        <source>Claiming and reclaiming</source>
        <translation>领取与回收</translation>
    </message>
    <message>
        <source>Claims per user per day:</source>
        <translation>每人每日领取上限：</translation>
    </message>
    <message>
        <source>Customer tiers</source>
        <translation>客户分级</translation>
    </message>
    <message>
        <source>Most customers a user may own, by role</source>
        <translation>各角色名下客户上限</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>不回收</translation>
    </message>
    <message>
        <source>No cap</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>No tier</source>
        <translation>未分级</translation>
    </message>
    <message>
        <source>Potential: open deals' amount × probability</source>
        <translation>按潜力：进行中商机金额 × 赢单概率</translation>
    </message>
    <message>
        <source>Public pool and tier rules</source>
        <translation>公海与客户分级规则</translation>
    </message>
    <message>
        <source>Save and re-tier now</source>
        <translation>保存并立即重新分级</translation>
    </message>
    <message>
        <source>Tier A</source>
        <translation>A 类</translation>
    </message>
    <message>
        <source>Tier B</source>
        <translation>B 类</translation>
    </message>
    <message>
        <source>Tier C</source>
        <translation>C 类</translation>
    </message>
    <message>
        <source>Tier by:</source>
        <translation>分级依据：</translation>
    </message>
    <message>
        <source>Tiers set by hand in a customer's form are kept.</source>
        <translation>在客户资料中手工设置的分级保持不变。</translation>
    </message>
    <message>
        <source>Value: won deals' amounts</source>
        <translation>按价值：已赢单金额</translation>
    </message>
    <message>
        <source>Warn the owner before:</source>
        <translation>回收前提醒负责人：</translation>
    </message>
    <message>
        <source>{count} customers changed tier.</source>
        <translation>{count} 个客户的分级已变更。</translation>
    </message>
    <message>
        <source>{tier}: back to the pool after no follow-up for</source>
        <translation>{tier}：未跟进多少天后回收到公海</translation>
    </message>
    <message>
        <source>Re-tiering…</source>
        <translation>正在重新分级…</translation>
    </message>
    <message>
        <source>Buyers (a won deal) go back to the pool too</source>
        <translation>成交客户（有赢单商机）也回收到公海</translation>
    </message>
</context>
<context>
    <name>PoolTableModel</name>
    <message>
        <source>Former owner</source>
        <translation>原负责人</translation>
    </message>
    <message>
        <source>In the pool since</source>
        <translation>进入公海时间</translation>
    </message>
</context>
<context>
    <name>ReleaseDialog</name>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>释放</translation>
    </message>
    <message>
        <source>Release to the public pool</source>
        <translation>释放到公海</translation>
    </message>
    <message>
        <source>The customer goes to the public pool, where any rep may claim it. You cannot claim it back for a few days.</source>
        <translation>客户将进入公海，任何销售都可以领取；您本人在若干天内不能再领回。</translation>
    </message>
    <message>
        <source>e.g. bought elsewhere, no purchase plan this year</source>
        <translation>例如：已在别处购车、今年暂无购车计划</translation>
    </message>
    <message>
        <source>{count} customers released.</source>
        <translation>已释放 {count} 个客户。</translation>
    </message>
</context>
<context>
    <name>ActivityDialog</name>
    <message>
        <source>&amp;Kind</source>
        <translation>类型(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Next step</source>
        <translation>下一步(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Outcome</source>
        <translation>结果(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Subject</source>
        <translation>主题(&amp;S)</translation>
    </message>
    <message>
        <source>About</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Complete follow-up</source>
        <translation>完成跟进</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>跟进计划</translation>
    </message>
    <message>
        <source>Log follow-up</source>
        <translation>记录跟进</translation>
    </message>
    <message>
        <source>Name, pinyin initials or phone</source>
        <translation>姓名、拼音首字母或电话</translation>
    </message>
    <message>
        <source>Next &amp;follow-up</source>
        <translation>下次跟进(&amp;F)</translation>
    </message>
    <message>
        <source>Only plan it (not done yet): the date above is when</source>
        <translation>仅计划（尚未进行）：按上面的时间安排</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>安排</translation>
    </message>
    <message>
        <source>Please correct the marked fields.</source>
        <translation>请更正标红的字段。</translation>
    </message>
    <message>
        <source>Type the letter on the kind box, or Alt+letter anywhere in the dialog</source>
        <translation>在类型框中按字母键，或在对话框任意位置按 Alt+字母</translation>
    </message>
    <message>
        <source>What came of it: the customer's answer, the offer, the mood</source>
        <translation>跟进结果：客户的答复、报价、意向</translation>
    </message>
    <message>
        <source>due {time}</source>
        <translation>计划时间 {time}</translation>
    </message>
    <message>
        <source>e.g. send the quote, invite to a test drive</source>
        <translation>如：发送报价、邀约试驾</translation>
    </message>
    <message>
        <source>Subjec&amp;t</source>
        <translation>主题(&amp;T)</translation>
    </message>
</context>
<context>
    <name>FollowupReminders</name>
    <message>
        <source>Follow-up due: {subject}</source>
        <translation>跟进到期：{subject}</translation>
    </message>
    <message>
        <source>{who} and {count} more</source>
        <translation>{who} 等 {count} 项</translation>
    </message>
</context>
<context>
    <name>FollowupTableModel</name>
    <message>
        <source>Customer / lead</source>
        <translation>客户 / 线索</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>计划时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>跟进计划</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>{days} days overdue</source>
        <translation>逾期 {days} 天</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Calendar (*.ics)</source>
        <translation>日历文件 (*.ics)</translation>
    </message>
    <message>
        <source>Cannot write {path}: {detail}</source>
        <translation>无法写入 {path}：{detail}</translation>
    </message>
    <message>
        <source>Done…</source>
        <translation>完成…</translation>
    </message>
    <message>
        <source>Due today ({count})</source>
        <translation>今日到期（{count}）</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Export calendar</source>
        <translation>导出日历</translation>
    </message>
    <message>
        <source>Export calendar…</source>
        <translation>导出日历…</translation>
    </message>
    <message>
        <source>Log follow-up (Ctrl+L)</source>
        <translation>记录跟进 (Ctrl+L)</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Nothing due today. Well done.</source>
        <translation>今日没有待办跟进，干得好。</translation>
    </message>
    <message>
        <source>Overdue ({count})</source>
        <translation>逾期（{count}）</translation>
    </message>
    <message>
        <source>Overdue {overdue}, today {today}</source>
        <translation>逾期 {overdue}，今日 {today}</translation>
    </message>
    <message>
        <source>Record the result and mark this follow-up done</source>
        <translation>填写结果并将此跟进标记为完成</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>The earliest {shown} of each list are shown; {count} more are not.</source>
        <translation>每个列表只显示最早的 {shown} 条，另有 {count} 条未显示。</translation>
    </message>
    <message>
        <source>The planned follow-ups of the next {days} days as an .ics file for Outlook or Apple Calendar</source>
        <translation>将未来 {days} 天的跟进计划导出为 .ics 文件，可导入 Outlook 或苹果日历</translation>
    </message>
    <message>
        <source>Whose:</source>
        <translation>负责人：</translation>
    </message>
    <message>
        <source>{count} follow-ups written to {path}</source>
        <translation>已将 {count} 条跟进写入 {path}</translation>
    </message>
</context>
<context>
    <name>codes.activity.kind</name>
    <message>
        <source>Call</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会面</translation>
    </message>
    <message>
        <source>Text message</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>到店</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
</context>
<context>
    <name>codes.activity.status</name>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划中</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>Follow-up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>Test drive</source>
        <translation>试驾</translation>
    </message>
    <message>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Quote</source>
        <translation>报价</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>回款</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <source>Lost request</source>
        <translation>战败申请</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>Customer360Dialog</name>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Open opportunities</source>
        <translation>进行中的商机</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Edit profile…</source>
        <translation>编辑资料…</translation>
    </message>
    <message>
        <source>Log follow-up…</source>
        <translation>记录跟进…</translation>
    </message>
    <message>
        <source>Book test drive…</source>
        <translation>预约试驾…</translation>
    </message>
    <message>
        <source>(no tier)</source>
        <translation>（未分级）</translation>
    </message>
    <message>
        <source>(no grade)</source>
        <translation>（无意向级别）</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show the full number (the reveal is recorded in the audit log)</source>
        <translation>显示完整号码（查看操作会记入审计日志）</translation>
    </message>
    <message>
        <source>Last follow-up</source>
        <translation>最近跟进</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <source>Customer 360°: {name}</source>
        <translation>客户全景：{name}</translation>
    </message>
    <message>
        <source>(public pool)</source>
        <translation>（公海）</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未跟进</translation>
    </message>
    <message>
        <source>none planned</source>
        <translation>未安排</translation>
    </message>
    <message>
        <source>Lost request waiting for approval: {deal} ({reason}), asked by {who} on {at}</source>
        <translation>战败申请待审批：{deal}（{reason}），{who} 于 {at} 提交</translation>
    </message>
    <message>
        <source>Goes back to the public pool soon unless it is followed up.</source>
        <translation>如不尽快跟进，该客户将被回收到公海。</translation>
    </message>
    <message>
        <source>Open opportunities ({count}, {amount})</source>
        <translation>进行中的商机（{count} 个，{amount}）</translation>
    </message>
    <message>
        <source>Timeline: {activities} follow-ups, {drives} test drives, {orders} orders</source>
        <translation>时间线：跟进 {activities} 次，试驾 {drives} 次，订单 {orders} 个</translation>
    </message>
    <message>
        <source>In the public pool since {at}</source>
        <translation>自 {at} 起在公海中</translation>
    </message>
    <message>
        <source>Owned; warned on {at}</source>
        <translation>已有负责人；{at} 已发回收预警</translation>
    </message>
    <message>
        <source>Owned; the customer is dormant</source>
        <translation>已有负责人；客户处于休眠状态</translation>
    </message>
    <message>
        <source>Owned; claimed from the pool on {at}</source>
        <translation>已有负责人；{at} 从公海领取</translation>
    </message>
    <message>
        <source>Owned</source>
        <translation>已有负责人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/customer_360.py"/>
        <source>History</source>
        <translation>变更记录</translation>
    </message>
</context>
<context>
    <name>RulesTableModel</name>
    <message>
        <source>Consultant</source>
        <translation>销售顾问</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>RuleRowsModel</name>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应完成时间</translation>
    </message>
    <message>
        <source>Days late</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>RulesReportDialog</name>
    <message>
        <source>Showroom rules report</source>
        <translation>管理规则报告</translation>
    </message>
    <message>
        <source>Click a count to list its records.</source>
        <translation>点击数字查看对应的记录。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>{count} breaches of the showroom rules, counted at {at}</source>
        <translation>共 {count} 项违反展厅管理规则，统计时间 {at}</translation>
    </message>
    <message>
        <source>{rule} — {owner}: {count} records</source>
        <translation>{rule} — {owner}：{count} 条记录</translation>
    </message>
    <message>
        <source>Export the report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 文件 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Report exported to {path}</source>
        <translation>报告已导出到 {path}</translation>
    </message>
    <message>
        <source>All history</source>
        <translation>全部历史</translation>
    </message>
    <message>
        <source>First revisits, won deals and deliveries due in this period; overdue follow-ups and deals past their date as they stand now.</source>
        <translation>统计本期间内到期的首次回访、成交和交车；逾期跟进和超过预计购车日期的商机按当前状态统计。</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>近 12 个月</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>近 30 天</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>近 90 天</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>统计期间：</translation>
    </message>
</context>
<context>
    <name>BoardColumnModel</name>
    <message>
        <source>Close {date}</source>
        <translation>预计成交 {date}</translation>
    </message>
    <message>
        <source>No close date</source>
        <translation>未定成交日期</translation>
    </message>
    <message>
        <source>No owner</source>
        <translation>无负责人</translation>
    </message>
    <message>
        <source>{owner} · {days} days in stage</source>
        <translation>{owner} · 本阶段 {days} 天</translation>
    </message>
</context>
<context>
    <name>BoardColumnWidget</name>
    <message>
        <source>{count} deals · {amount}</source>
        <translation>{count} 个商机 · {amount}</translation>
    </message>
</context>
<context>
    <name>PipelineBoard</name>
    <message>
        <source>Drag a card to another column to move the deal.</source>
        <translation>拖动卡片到其他列即可推进商机阶段。</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Mark as lost</source>
        <translation>标记为战败</translation>
    </message>
    <message>
        <source>Owner:</source>
        <translation>负责人：</translation>
    </message>
    <message>
        <source>Pipeline:</source>
        <translation>销售流程：</translation>
    </message>
    <message>
        <source>Why was the deal lost?</source>
        <translation>战败原因？</translation>
    </message>
    <message>
        <source>{count} open deals on the board</source>
        <translation>看板上共 {count} 个进行中的商机</translation>
    </message>
</context>
<context>
    <name>StagesDialog</name>
    <message>
        <source>Each pipeline needs one won stage (100%), one lost stage (0%) and at least one open stage. Deals follow a changed order and probability (unless their probability was set by hand).</source>
        <translation>每个销售流程需要一个赢单阶段（100%）、一个输单阶段（0%）和至少一个进行中的阶段。修改阶段顺序和赢率后，商机随之更新（手动设置赢率的商机除外）。</translation>
    </message>
    <message>
        <source>Only a manager can change the stages.</source>
        <translation>只有销售经理可以修改阶段。</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>阶段设置</translation>
    </message>
    <message>
        <source>row {row}: </source>
        <translation>第 {row} 行：</translation>
    </message>
</context>
<context>
    <name>StagesTable</name>
    <message>
        <source>Add stage</source>
        <translation>添加阶段</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>输单</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Name (Chinese)</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>Name (English)</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <source>Probability %</source>
        <translation>赢率 %</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Won</source>
        <translation>赢单</translation>
    </message>
</context>
<context>
    <name>AnalyticsPage</name>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>This quarter</source>
        <translation>本季度</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>近 90 天</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>今年</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Include project deals</source>
        <translation>含项目型商机</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>期间：</translation>
    </message>
    <message>
        <source>Pipeline:</source>
        <translation>销售管道：</translation>
    </message>
    <message>
        <source>Owner:</source>
        <translation>负责人：</translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Export table…</source>
        <translation>导出表格…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Sales funnel</source>
        <translation>销售漏斗</translation>
    </message>
    <message>
        <source>Sales forecast</source>
        <translation>销售预测</translation>
    </message>
    <message>
        <source>KPIs</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation>关键指标</translation>
    </message>
    <message>
        <source>Win rate</source>
        <translation>赢单率</translation>
    </message>
    <message>
        <source>Average sales cycle (days)</source>
        <translation>平均销售周期（天）</translation>
    </message>
    <message>
        <source>Median sales cycle (days)</source>
        <translation>销售周期中位数（天）</translation>
    </message>
    <message>
        <source>Average deal size</source>
        <translation>平均成交金额</translation>
    </message>
    <message>
        <source>Won</source>
        <translation>赢单</translation>
    </message>
    <message>
        <source>Target achievement</source>
        <translation>目标达成率</translation>
    </message>
    <message>
        <source>Repeat purchase rate</source>
        <translation>复购率</translation>
    </message>
    <message>
        <source>Won / lost deals</source>
        <translation>赢单 / 输单数</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>排行榜</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>{count} deals in the funnel, {amount}</source>
        <translation>漏斗中 {count} 个商机，{amount}</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Deals now</source>
        <translation>当前商机数</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>到达数</translation>
    </message>
    <message>
        <source>Conversion to next</source>
        <translation>转化率（至下一阶段）</translation>
    </message>
    <message>
        <source>Ideal ratio</source>
        <translation>理想比例</translation>
    </message>
    <message>
        <source>Previous period (reached)</source>
        <translation>上期到达数</translation>
    </message>
    <message>
        <source>Deals reached per stage</source>
        <translation>各阶段到达商机数</translation>
    </message>
    <message>
        <source>Deals</source>
        <translation>商机</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Weighted</source>
        <translation>加权预测</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>承诺</translation>
    </message>
    <message>
        <source>Best case</source>
        <translation>最佳情况</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>管道</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Gap</source>
        <translation>缺口</translation>
    </message>
    <message>
        <source>10,000 yuan</source>
        <translation>万元</translation>
    </message>
    <message>
        <source>Forecast by expected close month</source>
        <translation>按预计成交月份的销售预测</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Won amount</source>
        <translation>赢单金额</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>输单</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Cannot write {path}</source>
        <translation>无法写入 {path}</translation>
    </message>
    <message>
        <source>Chart saved to {path}</source>
        <translation>图表已保存到 {path}</translation>
    </message>
    <message>
        <source>Export table</source>
        <translation>导出表格</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Cannot write {path}: {detail}</source>
        <translation>无法写入 {path}：{detail}</translation>
    </message>
    <message>
        <source>Table saved to {path}</source>
        <translation>表格已保存到 {path}</translation>
    </message>
    <message>
        <source>% of the leads</source>
        <translation>占线索 %</translation>
    </message>
    <message>
        <source>Any product</source>
        <translation>任意产品</translation>
    </message>
    <message>
        <source>Calculate</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Conversion by source</source>
        <translation>渠道转化</translation>
    </message>
    <message>
        <source>Conversion of the period's leads by source</source>
        <translation>本期线索按渠道的转化</translation>
    </message>
    <message>
        <source>Deal → won</source>
        <translation>商机→赢单</translation>
    </message>
    <message>
        <source>In the pipeline now</source>
        <translation>当前管道中</translation>
    </message>
    <message>
        <source>Lead → deal</source>
        <translation>线索→商机</translation>
    </message>
    <message>
        <source>Lead → won</source>
        <translation>线索→赢单</translation>
    </message>
    <message>
        <source>Leads</source>
        <translation>线索</translation>
    </message>
    <message>
        <source>Needed</source>
        <translation>需要</translation>
    </message>
    <message>
        <source>No target for this period and scope: type a target amount, or set targets (crmdesk targets set).</source>
        <translation>本期该范围尚无目标：请输入目标金额，或先设定目标（crmdesk targets set）。</translation>
    </message>
    <message>
        <source>Product:</source>
        <translation>产品：</translation>
    </message>
    <message>
        <source>Proposals</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>Reverse calculation</source>
        <translation>目标反推</translation>
    </message>
    <message>
        <source>Shortfall</source>
        <translation>缺口</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>渠道：</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Target amount:</source>
        <translation>目标金额：</translation>
    </message>
    <message>
        <source>Target {target}; average won deal {size}; lead → deal {lead}, deal → proposal {proposal}, proposal → won {won}.</source>
        <translation>目标 {target}；平均成交额 {size}；线索→商机 {lead}，商机→方案 {proposal}，方案→赢单 {won}。</translation>
    </message>
    <message>
        <source>Team:</source>
        <translation>团队：</translation>
    </message>
    <message>
        <source>The target is an amount in yuan above 0, e.g. 5000000.</source>
        <translation>目标是大于 0 的金额（元），例如 5000000。</translation>
    </message>
    <message>
        <source>Won deals</source>
        <translation>赢单</translation>
    </message>
    <message>
        <source>the period's target</source>
        <translation>本期目标</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Cannot write {path}: {detail}</source>
        <translation>无法写入 {path}：{detail}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} 页 / 共 {pages} 页</translation>
    </message>
    <message>
        <source>Pages: {count}</source>
        <translation>共 {count} 页</translation>
    </message>
    <message>
        <source>Print {title}</source>
        <translation>打印 {title}</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save PDF</source>
        <translation>保存 PDF</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <source>The printer refused page {page}.</source>
        <translation>打印机未能接受第 {page} 页。</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <source>Sales targets</source>
        <translation>销售目标</translation>
    </message>
    <message>
        <source>The whole company</source>
        <translation>全公司</translation>
    </message>
    <message>
        <source>Team: {name}</source>
        <translation>团队：{name}</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>Quarterly</source>
        <translation>按季度</translation>
    </message>
    <message>
        <source>Year:</source>
        <translation>年度：</translation>
    </message>
    <message>
        <source>For:</source>
        <translation>对象：</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>周期：</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Deals</source>
        <translation>成交数</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>{year} Q{quarter}</source>
        <translation>{year} 年第 {quarter} 季度</translation>
    </message>
    <message>
        <source>Year total: {amount}</source>
        <translation>全年合计：{amount}</translation>
    </message>
    <message>
        <source>{period}: the amount is not a number.</source>
        <translation>{period}：金额不是数字。</translation>
    </message>
    <message>
        <source>{period}: the deal count is a whole number.</source>
        <translation>{period}：成交数须为整数。</translation>
    </message>
    <message>
        <source>(saved)</source>
        <translation>（已保存）</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <source>Write a comment first.</source>
        <translation>请先填写意见。</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Compare versions of {number}</source>
        <translation>{number} 版本对比</translation>
    </message>
    <message>
        <source>The totals are the same.</source>
        <translation>合计金额相同。</translation>
    </message>
    <message>
        <source>The two versions are the same.</source>
        <translation>两个版本内容相同。</translation>
    </message>
    <message>
        <source>with</source>
        <translation>与</translation>
    </message>
</context>
<context>
    <name>ComparisonModel</name>
    <message>
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>折扣</translation>
    </message>
    <message>
        <source>Discount %</source>
        <translation>折扣率</translation>
    </message>
    <message>
        <source>Largest discount</source>
        <translation>最大折扣</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Price list</source>
        <translation>价目表</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>小计</translation>
    </message>
    <message>
        <source>Terms</source>
        <translation>条款</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>VAT</source>
        <translation>税额</translation>
    </message>
    <message>
        <source>VAT %</source>
        <translation>税率</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>变化内容</translation>
    </message>
</context>
<context>
    <name>ProductPicker</name>
    <message>
        <source>Add a product: code, name or pinyin…</source>
        <translation>添加产品：输入编码、名称或拼音…</translation>
    </message>
</context>
<context>
    <name>QuoteEditor</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>: a manager must approve it</source>
        <translation>，需经理审批</translation>
    </message>
    <message>
        <source>Add a line without product</source>
        <translation>添加非目录行</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>联系人：</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <source>Default prices</source>
        <translation>默认价格</translation>
    </message>
    <message>
        <source>Draft: saved with a number of its own.</source>
        <translation>草稿：保存后生成报价单号。</translation>
    </message>
    <message>
        <source>Find the opportunity: name, customer, pinyin…</source>
        <translation>查找商机：名称、客户或拼音…</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Largest discount {discount} (your limit {limit})</source>
        <translation>最大折扣 {discount}（您的权限 {limit}）</translation>
    </message>
    <message>
        <source>Line {row}: {message}</source>
        <translation>第 {row} 行：{message}</translation>
    </message>
    <message>
        <source>New quote</source>
        <translation>新建报价</translation>
    </message>
    <message>
        <source>Opportunity:</source>
        <translation>商机：</translation>
    </message>
    <message>
        <source>Preview / print…</source>
        <translation>预览 / 打印…</translation>
    </message>
    <message>
        <source>Price list:</source>
        <translation>价目表：</translation>
    </message>
    <message>
        <source>Quote {label}</source>
        <translation>报价单 {label}</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save and submit</source>
        <translation>保存并提交审批</translation>
    </message>
    <message>
        <source>Subtotal {subtotal}   Discount {discount}   Total {total} (VAT included: {tax})</source>
        <translation>小计 {subtotal}   折扣 {discount}   合计 {total}（含税额 {tax}）</translation>
    </message>
    <message>
        <source>Terms:</source>
        <translation>条款：</translation>
    </message>
    <message>
        <source>Totals appear once every line's numbers are readable.</source>
        <translation>每行数字填写正确后显示合计。</translation>
    </message>
    <message>
        <source>Valid until:</source>
        <translation>有效期至：</translation>
    </message>
    <message>
        <source>an old version: read only</source>
        <translation>旧版本，只读</translation>
    </message>
    <message>
        <source>discount approved by {name}</source>
        <translation>折扣已由 {name} 批准</translation>
    </message>
    <message>
        <source>discount rejected by {name}: {comment}</source>
        <translation>折扣被 {name} 驳回：{comment}</translation>
    </message>
    <message>
        <source>read only: a change makes a new version</source>
        <translation>只读：如需修改请创建新版本</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/quote_editor.py"/>
        <source>History…</source>
        <translation>变更记录…</translation>
    </message>
</context>
<context>
    <name>QuoteLinesModel</name>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Discount %</source>
        <translation>折扣率 %</translation>
    </message>
    <message>
        <source>Discount (yuan)</source>
        <translation>折扣额（元）</translation>
    </message>
    <message>
        <source>Product / description</source>
        <translation>产品 / 名称</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价（含税）</translation>
    </message>
    <message>
        <source>VAT %</source>
        <translation>税率 %</translation>
    </message>
</context>
<context>
    <name>QuotesPage</name>
    <message>
        <source>, {count} waiting for your approval</source>
        <translation>，{count} 份待您审批</translation>
    </message>
    <message>
        <source>A comment for the rep (optional):</source>
        <translation>给销售的意见（可选）：</translation>
    </message>
    <message>
        <source>A note (optional), e.g. signed on site:</source>
        <translation>备注（可选），例如：现场签字：</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Approve the discount</source>
        <translation>批准折扣</translation>
    </message>
    <message>
        <source>Approved at once within your discount limit, else sent to a manager</source>
        <translation>在您的折扣权限内直接批准，否则提交经理审批</translation>
    </message>
    <message>
        <source>Compare versions…</source>
        <translation>版本对比…</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>客户拒绝</translation>
    </message>
    <message>
        <source>Mark the quote as sent to the customer</source>
        <translation>标记为已发送给客户</translation>
    </message>
    <message>
        <source>New quote</source>
        <translation>新建报价</translation>
    </message>
    <message>
        <source>New version</source>
        <translation>新版本</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Reject the discount</source>
        <translation>驳回折扣</translation>
    </message>
    <message>
        <source>Search quote number or customer…</source>
        <translation>搜索报价单号或客户…</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Submit for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <source>Tell the rep why (required):</source>
        <translation>请说明驳回原因（必填）：</translation>
    </message>
    <message>
        <source>The customer accepted this version</source>
        <translation>客户已接受此版本</translation>
    </message>
    <message>
        <source>The customer accepts</source>
        <translation>客户接受</translation>
    </message>
    <message>
        <source>The customer declines</source>
        <translation>客户拒绝</translation>
    </message>
    <message>
        <source>The customer turned this version down</source>
        <translation>客户拒绝了此版本</translation>
    </message>
    <message>
        <source>The largest discount, {discount}, is above your limit of {limit}: the quote waits for a manager.</source>
        <translation>最大折扣 {discount} 超出您的权限 {limit}：报价单等待经理审批。</translation>
    </message>
    <message>
        <source>Why (optional):</source>
        <translation>原因（可选）：</translation>
    </message>
    <message>
        <source>{count} quotes</source>
        <translation>共 {count} 份报价单</translation>
    </message>
</context>
<context>
    <name>QuotesTableModel</name>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Quote number</source>
        <translation>报价单号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>报价金额</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
</context>
<context>
    <name>CompanySettingsDialog</name>
    <message>
        <source>Company and discounts</source>
        <translation>公司与折扣设置</translation>
    </message>
    <message>
        <source>Company letterhead</source>
        <translation>公司信息（信头）</translation>
    </message>
    <message>
        <source>Discount limits</source>
        <translation>折扣权限</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Company name</source>
        <translation>公司名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>开户银行</translation>
    </message>
    <message>
        <source>Bank account</source>
        <translation>银行账号</translation>
    </message>
    <message>
        <source>as printed at the top of quotes and contracts</source>
        <translation>打印在报价单和合同顶部</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>No logo</source>
        <translation>不用标志</translation>
    </message>
    <message>
        <source>Logo</source>
        <translation>公司标志</translation>
    </message>
    <message>
        <source>Save letterhead</source>
        <translation>保存公司信息</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Choose the logo</source>
        <translation>选择公司标志</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>图片 (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Cannot read {path}: {detail}</source>
        <translation>无法读取 {path}：{detail}</translation>
    </message>
    <message>
        <source>The letterhead is saved; new PDFs print it.</source>
        <translation>公司信息已保存，之后生成的 PDF 将使用它。</translation>
    </message>
    <message>
        <source>Consultant</source>
        <translation>销售顾问</translation>
    </message>
    <message>
        <source>Field rep</source>
        <translation>外勤销售</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <source>Finance</source>
        <translation>财务</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>A quote whose largest discount is above the maker's limit goes to a manager for approval. Leave a limit empty for no limit.</source>
        <translation>报价单的最大折扣超出制单人的权限时，须经经理审批。留空表示不限。</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Largest discount (%)</source>
        <translation>最大折扣（%）</translation>
    </message>
    <message>
        <source>Save limits</source>
        <translation>保存折扣权限</translation>
    </message>
    <message>
        <source>Only an administrator changes the discount limits.</source>
        <translation>只有管理员可以修改折扣权限。</translation>
    </message>
    <message>
        <source>A limit is a percentage from 0 to 100 (or empty for none): {roles}.</source>
        <translation>折扣权限应为 0 到 100 的百分数（留空表示不限）：{roles}。</translation>
    </message>
    <message>
        <source>The discount limits are saved.</source>
        <translation>折扣权限已保存。</translation>
    </message>
</context>
<context>
    <name>ContractsTableModel</name>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Contract number</source>
        <translation>合同编号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Signed on</source>
        <translation>签订日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>合同名称</translation>
    </message>
</context>
<context>
    <name>ContractsPage</name>
    <message>
        <source>A draft contract from an accepted quote version</source>
        <translation>由客户已接受的报价版本生成合同草稿</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>An order with the contract's lines</source>
        <translation>按合同明细生成订单</translation>
    </message>
    <message>
        <source>Attachments…</source>
        <translation>附件…</translation>
    </message>
    <message>
        <source>Both sides did what they agreed</source>
        <translation>双方均已履行完毕</translation>
    </message>
    <message>
        <source>Contract {number}</source>
        <translation>合同 {number}</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>From a quote…</source>
        <translation>从报价生成…</translation>
    </message>
    <message>
        <source>Make order</source>
        <translation>生成订单</translation>
    </message>
    <message>
        <source>Open / edit</source>
        <translation>打开/编辑</translation>
    </message>
    <message>
        <source>Preview / print PDF</source>
        <translation>预览/打印 PDF</translation>
    </message>
    <message>
        <source>Put in force</source>
        <translation>生效</translation>
    </message>
    <message>
        <source>Search contract number or customer…</source>
        <translation>搜索合同编号或客户…</translation>
    </message>
    <message>
        <source>Sign the contract</source>
        <translation>签署合同</translation>
    </message>
    <message>
        <source>Sign…</source>
        <translation>签署…</translation>
    </message>
    <message>
        <source>Terminate the contract</source>
        <translation>终止合同</translation>
    </message>
    <message>
        <source>Terminate…</source>
        <translation>终止…</translation>
    </message>
    <message>
        <source>The day both sides signed:</source>
        <translation>双方签署日期：</translation>
    </message>
    <message>
        <source>The signed scan</source>
        <translation>双方签字盖章的扫描件</translation>
    </message>
    <message>
        <source>Why is the contract terminated?</source>
        <translation>终止合同的原因：</translation>
    </message>
    <message>
        <source>{count} contracts</source>
        <translation>共 {count} 份合同</translation>
    </message>
    <message>
        <source>{count} contracts shown, more as you scroll</source>
        <translation>已显示 {count} 份合同，向下滚动加载更多</translation>
    </message>
</context>
<context>
    <name>contracts</name>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>已生效</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签署</translation>
    </message>
    <message>
        <source>Terminated</source>
        <translation>已终止</translation>
    </message>
</context>
<context>
    <name>DateDialog</name>
    <message>
        <source>Please correct the date.</source>
        <translation>请更正日期。</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>At most {count} characters.</source>
        <translation>最多 {count} 个字符。</translation>
    </message>
    <message>
        <source>Please correct the reason.</source>
        <translation>请更正原因。</translation>
    </message>
    <message>
        <source>Write the reason first.</source>
        <translation>请先填写原因。</translation>
    </message>
</context>
<context>
    <name>AcceptedQuotesModel</name>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Quote number</source>
        <translation>报价单号</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总额</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
</context>
<context>
    <name>AcceptedQuotesDialog</name>
    <message>
        <source>Contract from an accepted quote</source>
        <translation>从已接受的报价生成合同</translation>
    </message>
    <message>
        <source>Make the contract</source>
        <translation>生成合同</translation>
    </message>
    <message>
        <source>No accepted quote is waiting for a contract.</source>
        <translation>没有待生成合同的已接受报价。</translation>
    </message>
    <message>
        <source>Search quote number or customer…</source>
        <translation>搜索报价单号或客户…</translation>
    </message>
</context>
<context>
    <name>ContractDialog</name>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Buyer (party A):</source>
        <translation>买方（甲方）：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Contract text (from the template)</source>
        <translation>合同正文（由模板生成）</translation>
    </message>
    <message>
        <source>Contract {number}</source>
        <translation>合同 {number}</translation>
    </message>
    <message>
        <source>Ends on</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>In words: {words}</source>
        <translation>大写：{words}</translation>
    </message>
    <message>
        <source>Made from an opportunity; customer {customer}</source>
        <translation>由商机生成；客户 {customer}</translation>
    </message>
    <message>
        <source>Made from quote {number} V{version}; customer {customer}</source>
        <translation>由报价单 {number} V{version} 生成；客户 {customer}</translation>
    </message>
    <message>
        <source>Parties</source>
        <translation>合同双方</translation>
    </message>
    <message>
        <source>Please correct the marked fields.</source>
        <translation>请更正标出的字段。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Seller (party B):</source>
        <translation>卖方（乙方）：</translation>
    </message>
    <message>
        <source>Starts on</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Terms</source>
        <translation>条款</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>合同名称</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>read only: the text is what was signed</source>
        <translation>只读：正文为签署时的文本</translation>
    </message>
    <message>
        <source>signed on {day}</source>
        <translation>签订于 {day}</translation>
    </message>
    <message>
        <source>terminated on {day}: {reason}</source>
        <translation>于 {day} 终止：{reason}</translation>
    </message>
    <message>
        <source>{name} (V{version})</source>
        <translation>{name}（V{version}）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/contract_dialogs.py"/>
        <source>History…</source>
        <translation>变更记录…</translation>
    </message>
</context>
<context>
    <name>AttachmentsModel</name>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
</context>
<context>
    <name>AttachmentsDialog</name>
    <message>
        <source>A note for the next file (optional), e.g. signed copy</source>
        <translation>下一个文件的备注（选填），如：双方签字页</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Attach a file</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Attachments of {number}</source>
        <translation>{number} 的附件</translation>
    </message>
    <message>
        <source>Cannot read {name}: {reason}</source>
        <translation>无法读取 {name}：{reason}</translation>
    </message>
    <message>
        <source>Cannot write {name}: {reason}</source>
        <translation>无法写入 {name}：{reason}</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>PDF, JPEG, PNG or TIFF, at most {size} MB each.</source>
        <translation>支持 PDF、JPEG、PNG 或 TIFF，每个文件最大 {size} MB。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Save a copy</source>
        <translation>另存副本</translation>
    </message>
    <message>
        <source>Save a copy…</source>
        <translation>另存副本…</translation>
    </message>
    <message>
        <source>Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)</source>
        <translation>扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)</translation>
    </message>
    <message>
        <source>The file was not attached.</source>
        <translation>文件未能添加。</translation>
    </message>
</context>
<context>
    <name>OrderLinesModel</name>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Product / description</source>
        <translation>产品/说明</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Type the car's 17-character VIN</source>
        <translation>输入车辆的 17 位车架号（VIN）</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>VIN</source>
        <translation>车架号（VIN）</translation>
    </message>
</context>
<context>
    <name>OrderDialog</name>
    <message>
        <source>Cancel order…</source>
        <translation>取消订单…</translation>
    </message>
    <message>
        <source>Cancel the order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the order</source>
        <translation>关闭订单</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <source>Dates:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <source>Deliver the order</source>
        <translation>订单交付</translation>
    </message>
    <message>
        <source>Deliver…</source>
        <translation>交付…</translation>
    </message>
    <message>
        <source>Double-click a car's VIN cell to type it: 17 characters, never I, O or Q.</source>
        <translation>双击车辆的车架号单元格输入：17 位，不含字母 I、O、Q。</translation>
    </message>
    <message>
        <source>Line {row}: {message}</source>
        <translation>第 {row} 行：{message}</translation>
    </message>
    <message>
        <source>Made from a contract</source>
        <translation>由合同生成</translation>
    </message>
    <message>
        <source>Made from a quote</source>
        <translation>由报价生成</translation>
    </message>
    <message>
        <source>Order {number}</source>
        <translation>订单 {number}</translation>
    </message>
    <message>
        <source>Payment plan…</source>
        <translation>回款计划…</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>The day the customer takes delivery:</source>
        <translation>客户提车（交付）日期：</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>总额：</translation>
    </message>
    <message>
        <source>Why is the order cancelled?</source>
        <translation>取消订单的原因：</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>未定</translation>
    </message>
    <message>
        <source>ordered {ordered}, delivery {delivery}</source>
        <translation>下单 {ordered}，交付 {delivery}</translation>
    </message>
    <message>
        <source>{status}: {reason}</source>
        <translation>{status}：{reason}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/order_dialog.py"/>
        <source>History…</source>
        <translation>变更记录…</translation>
    </message>
</context>
<context>
    <name>ReceivablesModel</name>
    <message>
        <source>Collected</source>
        <translation>已回款</translation>
    </message>
    <message>
        <source>Credit</source>
        <translation>客户余额</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>已到期</translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation>未回款</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>计划回款</translation>
    </message>
</context>
<context>
    <name>AgingModel</name>
    <message>
        <source>1–30 days</source>
        <translation>1–30 天</translation>
    </message>
    <message>
        <source>31–60 days</source>
        <translation>31–60 天</translation>
    </message>
    <message>
        <source>61–90 days</source>
        <translation>61–90 天</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Due month</source>
        <translation>到期月份</translation>
    </message>
    <message>
        <source>More than 90 days</source>
        <translation>90 天以上</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期合计</translation>
    </message>
    <message>
        <source>Sales rep</source>
        <translation>销售顾问</translation>
    </message>
</context>
<context>
    <name>PaymentsPage</name>
    <message>
        <source>Aging</source>
        <translation>账龄分析</translation>
    </message>
    <message>
        <source>Allocate…</source>
        <translation>核销…</translation>
    </message>
    <message>
        <source>As of {day}: scheduled {scheduled}, due {due}, collected {collected}, outstanding {outstanding}, overdue {overdue}; credit {credit}.</source>
        <translation>截至 {day}：计划回款 {scheduled}，已到期 {due}，已回款 {collected}，未回款 {outstanding}，逾期 {overdue}；客户余额 {credit}。</translation>
    </message>
    <message>
        <source>As of:</source>
        <translation>截至：</translation>
    </message>
    <message>
        <source>Cannot write {name}: {reason}</source>
        <translation>无法写入 {name}：{reason}</translation>
    </message>
    <message>
        <source>Choose a customer above to see their installments and payments.</source>
        <translation>在上方选择客户，查看其回款计划各期与回款记录。</translation>
    </message>
    <message>
        <source>Computing the receivables as of {day}…</source>
        <translation>正在计算截至 {day} 的应收…</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export the table</source>
        <translation>导出表格</translation>
    </message>
    <message>
        <source>Exported to {path}.</source>
        <translation>已导出到 {path}。</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Installments</source>
        <translation>回款计划各期</translation>
    </message>
    <message>
        <source>Overdue amounts by days past due,</source>
        <translation>逾期金额按逾期天数分段，</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>回款记录</translation>
    </message>
    <message>
        <source>Receivables by customer</source>
        <translation>按客户应收</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Register payment…</source>
        <translation>登记回款…</translation>
    </message>
    <message>
        <source>The {shown} customers owing most of {count} are listed.</source>
        <translation>共 {count} 个客户，列出欠款最多的 {shown} 个。</translation>
    </message>
    <message>
        <source>Undo allocations…</source>
        <translation>撤销核销…</translation>
    </message>
    <message>
        <source>by customer</source>
        <translation>按客户</translation>
    </message>
    <message>
        <source>by due month</source>
        <translation>按到期月份</translation>
    </message>
    <message>
        <source>by sales rep</source>
        <translation>按销售顾问</translation>
    </message>
    <message>
        <source>{count} customers with receivables</source>
        <translation>{count} 个客户有应收款</translation>
    </message>
    <message>
        <source>{customer}: {plans} plans, credit {credit}</source>
        <translation>{customer}：{plans} 个回款计划，客户余额 {credit}</translation>
    </message>
</context>
<context>
    <name>payments</name>
    <message>
        <source>; the customer's credit is now {credit}</source>
        <translation>；客户余额现为 {credit}</translation>
    </message>
    <message>
        <source>; {left} not allocated</source>
        <translation>；{left} 未核销</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>银行转账</translation>
    </message>
    <message>
        <source>Car loan</source>
        <translation>汽车贷款</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>刷卡</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Cheque</source>
        <translation>支票</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未付</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已付清</translation>
    </message>
    <message>
        <source>Partly paid</source>
        <translation>部分已付</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <source>{amount} received: {allocated} allocated to {count} installments</source>
        <translation>收到 {amount}：已核销 {allocated}，涉及 {count} 期</translation>
    </message>
</context>
<context>
    <name>InstallmentsModel</name>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Contract / order</source>
        <translation>合同/订单</translation>
    </message>
    <message>
        <source>Due on</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>期次</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Owed</source>
        <translation>未付</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已付</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>PlanDraftModel</name>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Comes to</source>
        <translation>折合金额</translation>
    </message>
    <message>
        <source>Due on (yyyy-mm-dd)</source>
        <translation>到期日（yyyy-mm-dd）</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>期次</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Share %</source>
        <translation>比例 %</translation>
    </message>
</context>
<context>
    <name>PaymentPlanDialog</name>
    <message>
        <source>Add installment</source>
        <translation>增加一期</translation>
    </message>
    <message>
        <source>By amount (adds up to the total)</source>
        <translation>按金额（合计须等于总额）</translation>
    </message>
    <message>
        <source>By percentage (adds up to 100 %)</source>
        <translation>按比例（合计须为 100%）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Contract {number}</source>
        <translation>合同 {number}</translation>
    </message>
    <message>
        <source>Delete the plan</source>
        <translation>删除回款计划</translation>
    </message>
    <message>
        <source>Installment {row}: {message}</source>
        <translation>第 {row} 期：{message}</translation>
    </message>
    <message>
        <source>Installments add up to {given} of {total}</source>
        <translation>各期合计 {given}，总额 {total}</translation>
    </message>
    <message>
        <source>Only while nothing is paid on it</source>
        <translation>仅在尚无回款核销时可删除</translation>
    </message>
    <message>
        <source>Order {number}</source>
        <translation>订单 {number}</translation>
    </message>
    <message>
        <source>Payment plan of {source}</source>
        <translation>{source} 的回款计划</translation>
    </message>
    <message>
        <source>Remove installment</source>
        <translation>删除此期</translation>
    </message>
    <message>
        <source>Save the plan</source>
        <translation>保存回款计划</translation>
    </message>
    <message>
        <source>Shares add up to {given} % of 100 %</source>
        <translation>各期比例合计 {given}%（须为 100%）</translation>
    </message>
    <message>
        <source>{source}: a new plan for {total}</source>
        <translation>{source}：新建回款计划，总额 {total}</translation>
    </message>
    <message>
        <source>{source}: plan of {total}, paid {paid}, owed {owed}</source>
        <translation>{source}：计划总额 {total}，已回款 {paid}，未回款 {owed}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/payment_dialogs.py"/>
        <source>History…</source>
        <translation>变更记录…</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <source>Allocate automatically, oldest due first</source>
        <translation>自动核销，先到期的先核销</translation>
    </message>
    <message>
        <source>Allocate by hand afterwards</source>
        <translation>稍后手工核销</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Payer</source>
        <translation>付款人</translation>
    </message>
    <message>
        <source>Please correct the marked fields.</source>
        <translation>请更正标出的字段。</translation>
    </message>
    <message>
        <source>Received on</source>
        <translation>到账日期</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>流水号</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Register a payment</source>
        <translation>登记回款</translation>
    </message>
    <message>
        <source>bank slip or transaction number</source>
        <translation>银行回单号或交易流水号</translation>
    </message>
    <message>
        <source>e.g. 30000.00</source>
        <translation>例如 30000.00</translation>
    </message>
    <message>
        <source>{customer}: owed {owed}, credit {credit}</source>
        <translation>{customer}：未付 {owed}，客户余额 {credit}</translation>
    </message>
    <message>
        <source>{extra} more than is owed: it stays as the customer's credit.</source>
        <translation>比未付金额多 {extra}：多出部分留作客户余额。</translation>
    </message>
</context>
<context>
    <name>AllocateModel</name>
    <message>
        <source>Allocate (blank: as much as fits)</source>
        <translation>核销金额（留空：尽量全额核销）</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Contract / order</source>
        <translation>合同/订单</translation>
    </message>
    <message>
        <source>Due on</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>期次</translation>
    </message>
    <message>
        <source>Owed</source>
        <translation>未付</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>AllocationDialog</name>
    <message>
        <source>Allocate a payment</source>
        <translation>回款核销</translation>
    </message>
    <message>
        <source>Allocate to the selected installment</source>
        <translation>核销到选中的一期</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Oldest due first</source>
        <translation>按到期先后自动核销</translation>
    </message>
    <message>
        <source>Payment of {amount} on {day}: {left} left to allocate</source>
        <translation>{day} 到账 {amount}：尚有 {left} 可核销</translation>
    </message>
    <message>
        <source>{amount} allocated to {count} installments, oldest due first.</source>
        <translation>已按到期先后核销 {amount}，涉及 {count} 期。</translation>
    </message>
    <message>
        <source>{amount} allocated to {label} installment {sequence}.</source>
        <translation>已核销 {amount} 到 {label} 第 {sequence} 期。</translation>
    </message>
</context>
<context>
    <name>PaymentsModel</name>
    <message>
        <source>Allocated</source>
        <translation>已核销</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>Not allocated</source>
        <translation>未核销</translation>
    </message>
    <message>
        <source>Payer</source>
        <translation>付款人</translation>
    </message>
    <message>
        <source>Received on</source>
        <translation>到账日期</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>流水号</translation>
    </message>
</context>
<context>
    <name>AllocationsModel</name>
    <message>
        <source>Allocated at</source>
        <translation>核销时间</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Installment</source>
        <translation>回款期</translation>
    </message>
</context>
<context>
    <name>UnallocateDialog</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Its allocations</source>
        <translation>该笔回款的核销记录</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>回款记录</translation>
    </message>
    <message>
        <source>Undo allocations</source>
        <translation>撤销核销</translation>
    </message>
    <message>
        <source>Undo every allocation of the payment</source>
        <translation>撤销该笔回款的全部核销</translation>
    </message>
    <message>
        <source>Undo the selected allocation</source>
        <translation>撤销选中的核销</translation>
    </message>
    <message>
        <source>{amount} taken back from {count} installments.</source>
        <translation>已从 {count} 期撤销核销 {amount}。</translation>
    </message>
    <message>
        <source>{amount} taken back from {installment}.</source>
        <translation>已从 {installment} 撤销核销 {amount}。</translation>
    </message>
    <message>
        <source>{label} installment {sequence}, due {day}</source>
        <translation>{label} 第 {sequence} 期，{day} 到期</translation>
    </message>
</context>
<context>
    <name>ContractTemplatesDialog</name>
    <message>
        <source>Changed: saving makes version {version}.</source>
        <translation>已修改：保存后成为第 {version} 版。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Contract templates</source>
        <translation>合同模板</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>插入</translation>
    </message>
    <message>
        <source>Load into the editor</source>
        <translation>载入编辑区</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>New template…</source>
        <translation>新建模板…</translation>
    </message>
    <message>
        <source>Only a manager can change the templates.</source>
        <translation>只有经理可以修改合同模板。</translation>
    </message>
    <message>
        <source>Placeholders (double-click to insert)</source>
        <translation>占位符（双击插入）</translation>
    </message>
    <message>
        <source>Please correct the marked fields.</source>
        <translation>请更正标出的字段。</translation>
    </message>
    <message>
        <source>Save as a new version</source>
        <translation>另存为新版本</translation>
    </message>
    <message>
        <source>Saved as version {version}.</source>
        <translation>已保存为第 {version} 版。</translation>
    </message>
    <message>
        <source>Saving it then makes it the newest version again</source>
        <translation>载入后保存，即成为最新版本</translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>模板：</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>lower-case letters, digits and _, e.g. lease_sale</source>
        <translation>小写字母、数字和 _，例如 lease_sale</translation>
    </message>
    <message>
        <source>{name} ({code}, V{version})</source>
        <translation>{name}（{code}，V{version}）</translation>
    </message>
</context>
<context>
    <name>DamagedDatabaseDialog</name>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Restore the backup of {time}</source>
        <translation>恢复 {time} 的备份</translation>
    </message>
    <message>
        <source>Salvage what can be read</source>
        <translation>尽量抢救可读的数据</translation>
    </message>
    <message>
        <source>The database is damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>There is no good backup to restore.</source>
        <translation>没有可用的完好备份。</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Backed up to {path}.</source>
        <translation>已备份到 {path}。</translation>
    </message>
    <message>
        <source>Backup and restore</source>
        <translation>备份与恢复</translation>
    </message>
    <message>
        <source>Backups are kept in {folder}: one at the first start of each day (7 kept), one a week (4 kept), one before every upgrade, and those made here (10 kept).</source>
        <translation>备份保存在 {folder}：每天首次启动时一份（保留 7 份），每周一份（保留 4 份），每次升级前一份，以及在此手动做的备份（保留 10 份）。</translation>
    </message>
    <message>
        <source>Before an upgrade</source>
        <translation>升级前</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>每日</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>完好</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Replace the book with the backup of {time}? Changes made since then are not in it; the current file is kept beside it.</source>
        <translation>用 {time} 的备份替换当前数据吗？此后的修改不在备份中；当前文件会保留在旁边。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>恢复…</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Taken at</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>每周</translation>
    </message>
</context>
<context>
    <name>salvage</name>
    <message>
        <source>Nothing was lost.</source>
        <translation>没有数据丢失。</translation>
    </message>
    <message>
        <source>Recovered into {path}:</source>
        <translation>已抢救到 {path}：</translation>
    </message>
    <message>
        <source>{table}: nothing could be read</source>
        <translation>{table}：完全无法读取</translation>
    </message>
    <message>
        <source>{table}: {kept} rows kept, the rest unreadable</source>
        <translation>{table}：保留 {kept} 行，其余无法读取</translation>
    </message>
    <message>
        <source>{table}: {kept} rows kept, {lost} lost</source>
        <translation>{table}：保留 {kept} 行，丢失 {lost} 行</translation>
    </message>
</context>
<context>
    <name>AuditLogDialog</name>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>Act:</source>
        <translation>操作：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>Every act</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>Every kind of record</source>
        <translation>全部记录类型</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>Only administrators and managers can read the audit log.</source>
        <translation>只有管理员和经理可以查看审计日志。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>Record:</source>
        <translation>记录：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>The end of the period is before its start.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>To:</source>
        <translation>到：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>Who:</source>
        <translation>操作人：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>any day</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/audit_log_dialog.py"/>
        <source>today</source>
        <translation>今天</translation>
    </message>
</context>
<context>
    <name>EncryptionDialog</name>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Database encryption</source>
        <translation>数据库加密</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Decrypting the book and its backups…</source>
        <translation>正在解密数据库及其备份…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Encrypt</source>
        <translation>加密</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Encrypt the database</source>
        <translation>加密数据库</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Encrypting the book and its backups…</source>
        <translation>正在加密数据库及其备份…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Encryption scrambles the whole book file, its backups and the copies kept beside it, so that nobody who gets hold of the file (a lost laptop, a copied backup) can read it without the key. On this computer crmdesk opens it as before.</source>
        <translation>加密会把整个数据库文件、它的备份以及旁边保留的副本全部加密：即使文件落入他人之手（笔记本丢失、备份被复制），没有密钥也无法读取。在这台电脑上，crmdesk 仍像以前一样打开它。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Keep a key in this computer's keychain</source>
        <translation>把密钥保存在本机的钥匙串中</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>No keychain is available on this computer.</source>
        <translation>这台电脑上没有可用的钥匙串。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Passphrase (at least {count} characters)</source>
        <translation>口令（至少 {count} 个字符）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>The book is a plain file again; {count} backups and kept copies were decrypted too.</source>
        <translation>数据库已恢复为未加密文件；{count} 个备份和保留副本也已解密。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>The book is encrypted ({rows} rows in {tables} tables checked); {count} backups and kept copies were encrypted too.</source>
        <translation>数据库已加密（已核对 {tables} 张表中的 {rows} 行）；{count} 个备份和保留副本也已加密。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>The same passphrase again</source>
        <translation>再次输入同一口令</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>These copies did not open with the key and stay encrypted: {names}</source>
        <translation>以下副本无法用该密钥打开，仍保持加密：{names}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>These older copies could not be read and are NOT encrypted; delete them if they are not needed: {names}</source>
        <translation>以下旧副本无法读取，未被加密；如不再需要请删除：{names}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>This book is encrypted with a passphrase.</source>
        <translation>此数据库已用口令加密。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>This book is encrypted; its key is kept in the keychain.</source>
        <translation>此数据库已加密，密钥保存在钥匙串中。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>This book is not encrypted.</source>
        <translation>此数据库未加密。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>This computer's keychain ({name}) keeps keys in a plain file: anyone who can read your files can read the key. A passphrase is safer here.</source>
        <translation>这台电脑的钥匙串（{name}）把密钥保存在未加密的文件中：能读取你文件的人都能读到密钥。在这里使用口令更安全。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Turn encryption off? The book and its backups become plain files that anyone who gets them can read.</source>
        <translation>要关闭加密吗？数据库及其备份将变为未加密文件，任何拿到文件的人都能读取。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Turn encryption off…</source>
        <translation>关闭加密…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Use a passphrase (asked at every start)</source>
        <translation>使用口令（每次启动时询问）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Without the key or the passphrase the book cannot be opened, and nobody can recover it: write the passphrase down and keep it in a safe place.</source>
        <translation>没有密钥或口令就无法打开数据库，任何人都无法恢复：请把口令记下来并妥善保管。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>crmdesk opens the book without asking; it opens only on this computer, for this user.</source>
        <translation>crmdesk 打开数据库时不再询问；只能在这台电脑上、由当前用户打开。</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>History</source>
        <translation>变更记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>History: {name}</source>
        <translation>变更记录：{name}</translation>
    </message>
</context>
<context>
    <name>HistoryTableModel</name>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>Old → new</source>
        <translation>原值 → 新值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>Load more</source>
        <translation>加载更多</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>Nothing recorded.</source>
        <translation>暂无记录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>{count} entries, all shown.</source>
        <translation>共 {count} 条，已全部显示。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/history_panel.py"/>
        <source>{count} newest entries shown.</source>
        <translation>已显示最新的 {count} 条。</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Encrypted database</source>
        <translation>加密的数据库</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>The book {name} is encrypted. Type its passphrase to open it.</source>
        <translation>数据库 {name} 已加密。请输入口令以打开。</translation>
    </message>
</context>
<context>
    <name>encryption</name>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>The database {path} is encrypted and its key is not in the keychain; give its passphrase in CRMDESK_DB_PASSPHRASE.</source>
        <translation>数据库 {path} 已加密，钥匙串中没有它的密钥；请在 CRMDESK_DB_PASSPHRASE 中提供口令。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/encryption_dialog.py"/>
        <source>The passphrase in CRMDESK_DB_PASSPHRASE is wrong.</source>
        <translation>CRMDESK_DB_PASSPHRASE 中的口令不正确。</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>An administrator set your password. Choose your own password before you go on.</source>
        <translation>您的密码是管理员设置的。请先设置您自己的密码再继续。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>At least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Current password:</source>
        <translation>当前密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>New password again:</source>
        <translation>再次输入新密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>The two new passwords are not the same.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Type your current password, then the new one twice.</source>
        <translation>请输入当前密码，再输入两次新密码。</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>As shown to others (optional)</source>
        <translation>显示给他人的名字（可不填）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>At least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Create administrator</source>
        <translation>创建管理员</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Display name:</source>
        <translation>显示名称：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>First administrator</source>
        <translation>首位管理员</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Nobody signs in to this book yet. Create its first administrator: from then on everyone signs in with a user name and password, and the administrator adds the other users and sets what each role may do (Tools › Users and permissions…). Choose Later to go on without sign-in for now.</source>
        <translation>本账套尚未启用登录。请创建首位管理员：此后每个人都要用用户名和密码登录，由管理员添加其他用户并设置各角色的权限（工具 › 用户与权限…）。选择“稍后”则暂时不登录，照常使用。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Password again:</source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
</context>
<context>
    <name>NewTokenDialog</name>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Copy the token now: it is not shown again. Whoever has it acts as you, an administrator; revoke it when it is no longer needed.</source>
        <translation>请立即复制令牌：它不会再次显示。持有令牌的人即可以您（管理员）的身份操作；不再需要时请吊销。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Create token</source>
        <translation>创建令牌</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>New token</source>
        <translation>新建令牌</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>What uses it, e.g. nightly export</source>
        <translation>用途，例如：夜间导出</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>A new password for {name} ({user}). They choose their own at the next sign-in; a locked account is unlocked.</source>
        <translation>为 {name}（{user}）设置新密码。对方下次登录时须设置自己的密码；被锁定的账户随之解锁。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>At least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Password again:</source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Choose a new password to sign in.</source>
        <translation>必须设置新密码才能登录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Sign in to crmdesk</source>
        <translation>登录 crmdesk</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>Sign in with your user name and password.</source>
        <translation>请输入用户名和密码登录。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>This book needs a sign-in: set CRMDESK_USER and CRMDESK_PASSWORD, or CRMDESK_TOKEN.</source>
        <translation>本账套需要登录：请设置 CRMDESK_USER 和 CRMDESK_PASSWORD，或 CRMDESK_TOKEN。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sign_in_dialog.py"/>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
</context>
<context>
    <name>UserFormDialog</name>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>(no team)</source>
        <translation>（无团队）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>At least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Display name:</source>
        <translation>显示名称：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Edit user</source>
        <translation>编辑用户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>First password:</source>
        <translation>初始密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>May sign in</source>
        <translation>允许登录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Password again:</source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Team:</source>
        <translation>团队：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>The user chooses their own password at the first sign-in.</source>
        <translation>用户首次登录时须设置自己的密码。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>A token lets a script use crmdesk's command line as the administrator who made it (crmdesk … --token, or CRMDESK_TOKEN).</source>
        <translation>令牌让脚本以创建它的管理员身份使用 crmdesk 命令行（crmdesk … --token，或 CRMDESK_TOKEN）。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Last sign-in</source>
        <translation>上次登录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Last used</source>
        <translation>上次使用</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>New token…</source>
        <translation>新建令牌…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Reset to defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Revoke</source>
        <translation>吊销</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Revoke the token {name}? Scripts using it stop working; this cannot be undone.</source>
        <translation>吊销令牌 {name}？使用它的脚本将无法继续工作；此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Revoke token</source>
        <translation>吊销令牌</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Revoked</source>
        <translation>吊销时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Roles and permissions</source>
        <translation>角色权限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Saved. The changes apply from each user's next sign-in.</source>
        <translation>已保存。修改从每位用户下次登录时生效。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Sees</source>
        <translation>数据范围</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>The defaults are filled in; Save keeps them.</source>
        <translation>已填入默认权限；点击“保存”后生效。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>The password of {name} is set; they choose their own at the next sign-in.</source>
        <translation>已为 {name} 设置密码；对方下次登录时须设置自己的密码。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>The token {name} is revoked.</source>
        <translation>令牌 {name} 已吊销。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Tokens</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Users and permissions</source>
        <translation>用户与权限</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>What each role may do, and whose records it sees. The administrator keeps everything. A change applies from each user's next sign-in.</source>
        <translation>各角色可以做什么、能看到谁的记录。管理员始终拥有全部权限。修改从每位用户下次登录时生效。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>{name} is added; they choose their own password at the first sign-in.</source>
        <translation>已添加 {name}；对方首次登录时须设置自己的密码。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>{name} is saved. A changed role applies from their next sign-in.</source>
        <translation>{name} 已保存。角色变更从其下次登录时生效。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/users_dialog.py"/>
        <source>{name} may sign in again.</source>
        <translation>{name} 已可再次登录。</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>(file content)</source>
        <translation>（文件内容）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Another desk</source>
        <translation>另一台电脑</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Keep &amp;this value</source>
        <translation>保留当前值(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Keep the &amp;other value</source>
        <translation>改用另一方的值(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>No open conflicts.</source>
        <translation>没有未处理的冲突。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Show &amp;resolved too</source>
        <translation>同时显示已处理的(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Sync conflicts</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>These fields were changed on this desk and on another one before they synced. The later change was kept; keep the other value instead, or confirm the one kept.</source>
        <translation>以下字段在同步前被本机和另一台电脑同时修改。系统保留了较晚的修改；您可以改用另一方的值，或确认保留当前的值。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Unknown user</source>
        <translation>未知用户</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>{kind}: {name}</source>
        <translation>{kind}：{name}</translation>
    </message>
</context>
<context>
    <name>ConflictsTableModel</name>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Found</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Other value</source>
        <translation>另一方的值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Other value by</source>
        <translation>另一方修改人</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Other value kept</source>
        <translation>已改用另一方的值</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/conflicts_dialog.py"/>
        <source>Value kept</source>
        <translation>保留的值</translation>
    </message>
</context>
<context>
    <name>HubSettingsDialog</name>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>&amp;Login:</source>
        <translation>登录名(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Connected, but this database is not a crmdesk hub yet.</source>
        <translation>已连接，但此数据库还不是 crmdesk 中心服务器。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Connected: the hub answers.</source>
        <translation>连接成功：中心服务器有响应。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Enter the hub's address, e.g. postgresql://hub.example.com/crmdesk.</source>
        <translation>请输入中心服务器地址，例如 postgresql://hub.example.com/crmdesk。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Hub &amp;address:</source>
        <translation>服务器地址(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Hub settings</source>
        <translation>中心服务器设置</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Kept in the keychain; type to change</source>
        <translation>已保存在系统钥匙串中；输入新密码可更改</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>None needed, or type it</source>
        <translation>无需密码，或在此输入</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Sync &amp;every:</source>
        <translation>自动同步间隔(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>The password is kept in this computer's keychain, never in the book or the settings.</source>
        <translation>密码只保存在本机的系统钥匙串中，不会写入账套或设置文件。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>e.g. wanglei</source>
        <translation>例如 wanglei</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>No hub is set up: enter its address in Tools › Hub settings.</source>
        <translation>尚未设置中心服务器：请在“工具 › 中心服务器设置”中填写地址。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Synced: {pushed} sent, {pulled} received, {conflicts} conflicts.</source>
        <translation>同步完成：上传 {pushed} 条，下载 {pulled} 条，冲突 {conflicts} 个。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>The sync stopped on an unexpected error.</source>
        <translation>同步因意外错误而中止。</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Conflicts {count}</source>
        <translation>冲突 {count}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Downloading {done}/{total}…</source>
        <translation>正在下载 {done}/{total}…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Last sync {time}</source>
        <translation>上次同步 {time}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Never synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>No hub is set up: enter its address in Tools › Hub settings.</source>
        <translation>尚未设置中心服务器：请在“工具 › 中心服务器设置”中填写地址。</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Send this desk's changes to the hub and fetch the others' (Ctrl+Shift+S)</source>
        <translation>把本机的修改上传到中心服务器，并取回其他人的修改（Ctrl+Shift+S）</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>To upload {count}</source>
        <translation>待上传 {count}</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Uploading {done}/{total}…</source>
        <translation>正在上传 {done}/{total}…</translation>
    </message>
    <message>
        <location filename="../../crmdesk/views/sync_panel.py"/>
        <source>Standalone</source>
        <translation>单机</translation>
    </message>
</context>
</TS>
