import type { Dict } from './index'

export const zhCN: Dict = {
  app: { title: '流程设计器', console: '控制台', loading: '加载中…', language: '语言' },
  flows: { title: '流程', empty: '还没有流程' },
  errors: { generic: '出错了' },
}
