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
</context>
<context>
    <name>RecordDialog</name>
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
</context>
<context>
    <name>RecordTab</name>
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
</context>
<context>
    <name>services</name>
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
</context>
</TS>
