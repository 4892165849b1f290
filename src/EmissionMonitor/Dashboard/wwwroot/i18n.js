// Chinese (default) and English labels; the choice (not a credential) is kept in localStorage.
window.I18N = {
  zh: {
    title: '污染源自动监控', 'nav.overview': '全省概览', 'nav.alerts': '报警', 'nav.outlet': '排口', 'nav.exceedances': '超标记录', 'nav.cards': '红黄牌',
    'live.on': '实时连接', 'live.off': '离线', city: '市/州', outlets: '排口数', online: '在线', below: '有效传输率<90%', exceeding: '正在超标', carded: '红黄牌',
    kind: '类型', severity: '级别', state: '状态', mn: 'MN', enterprise: '企业', pollutant: '污染物', value: '数值', limit: '限值', raisedAt: '发生时间', message: '说明',
    acknowledge: '确认', clear: '解除', comment: '请输入解除说明', from: '开始', to: '结束', search: '查询', csv: '下载 CSV', quarter: '季度', card: '牌',
    reasons: '原因', lifted: '解除', start: '开始', end: '结束', periods: '时段数', peak: '峰值', multiple: '超标倍数', basis: '判定', ongoing: '持续中',
    hourly: '小时均值（近7天）', realtime: '实时值（近1小时）', rateMonth: '本月有效传输率', rateQuarter: '本季度有效传输率', chooseOutlet: '选择排口',
    'k.exceedance': '超标', 'k.warning': '实时预警', 'k.silent': '断线', 'k.low-rate': '传输率低', 'k.card': '红黄牌',
    's.critical': '严重', 's.warning': '警告', 's.info': '提示',
    token: '访问令牌', login: '登录', logout: '退出', badToken: '令牌无效', tooMany: '尝试次数过多，请稍后再试',
    none: '无', active: '未确认', acknowledged: '已确认', cleared: '已解除', all: '全部', province: '全省',
  },
  en: {
    title: 'Pollution-source monitoring', 'nav.overview': 'Province', 'nav.alerts': 'Alerts', 'nav.outlet': 'Outlet', 'nav.exceedances': 'Exceedances', 'nav.cards': 'Cards',
    'live.on': 'live', 'live.off': 'offline', city: 'City', outlets: 'Outlets', online: 'Online', below: 'Rate < 90%', exceeding: 'Exceeding', carded: 'Carded',
    kind: 'Kind', severity: 'Severity', state: 'State', mn: 'MN', enterprise: 'Enterprise', pollutant: 'Pollutant', value: 'Value', limit: 'Limit', raisedAt: 'Raised', message: 'Message',
    acknowledge: 'Acknowledge', clear: 'Clear', comment: 'Why is it cleared?', from: 'From', to: 'To', search: 'Search', csv: 'Download CSV', quarter: 'Quarter', card: 'Card',
    reasons: 'Reasons', lifted: 'Lifted', start: 'Start', end: 'End', periods: 'Periods', peak: 'Peak', multiple: 'Multiple', basis: 'Basis', ongoing: 'ongoing',
    hourly: 'Hourly means (last 7 days)', realtime: 'Real-time (last hour)', rateMonth: 'Effective rate this month', rateQuarter: 'Effective rate this quarter', chooseOutlet: 'Choose an outlet',
    'k.exceedance': 'exceedance', 'k.warning': 'warning', 'k.silent': 'silent', 'k.low-rate': 'low rate', 'k.card': 'card',
    's.critical': 'critical', 's.warning': 'warning', 's.info': 'info',
    token: 'Access token', login: 'Log in', logout: 'Log out', badToken: 'Unknown token', tooMany: 'Too many attempts; try again later',
    none: 'none', active: 'active', acknowledged: 'acknowledged', cleared: 'cleared', all: 'all', province: 'Province',
  },
};
