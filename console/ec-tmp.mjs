import * as echarts from 'echarts'
const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 })
chart.setOption({
  xAxis: { type: 'category', data: ['a', 'b', 'c', 'd', 'e'] },
  yAxis: { type: 'value', min: 0, max: 100 },
  series: [{ type: 'line', connectNulls: true, symbolSize: 6, data: [null, null, null, null, 86.7] }],
})
const svg = chart.renderToSVGString()
console.log((svg.match(/<path/g) || []).length, svg.includes('86.7'), (svg.match(/symbol|circle/gi)||[]).length)
chart.setOption({ series: [{ type: 'line', connectNulls: true, symbolSize: 6, showSymbol: true, showAllSymbol: true, data: [null, null, null, null, 86.7] }] })
const svg2 = chart.renderToSVGString()
console.log((svg2.match(/<path/g) || []).length)
