import Form from '@rjsf/core'
import type { IChangeEvent } from '@rjsf/core'
import validator from '@rjsf/validator-ajv8'
import { memo, useMemo } from 'react'
import { useI18n } from '../i18n'
import type { FlowDocument, FlowNode } from '../graph/document'
import { expressionSuggestions } from '../graph/expressions'
import { categoryStyle, type NodeTypeInfo } from '../graph/node-types'
import { detailOf, type FlowProblem } from '../graph/problems'
import { formFields, formTemplates, formWidgets, InlineText, type NodeFormContext } from './form-parts'
import { localizeSchema } from './schema-labels'
import { buildUiSchema, pruneConfig, toErrorSchema } from './ui-schema'

interface Props {
  node: FlowNode
  info: NodeTypeInfo | undefined
  document: FlowDocument
  problems: FlowProblem[]
  fieldErrors: ReadonlyMap<string, string[]>
  readOnly: boolean
  onConfig(config: Record<string, unknown>): void
  onTitle(title: string): void
  onDelete(): void
}

/** The selected node's settings, generated from its node type's JSON Schema (rjsf), with the validator's problems inline. */
export const NodeForm = memo(function NodeForm(props: Props) {
  const { node, info, readOnly } = props
  const { t, locale } = useI18n()
  // the fields' labels, help and choices in the form's language
  const schema = useMemo(() => (info ? localizeSchema(info.configSchema, locale) : {}), [info, locale])
  const uiSchema = useMemo(() => (info ? buildUiSchema(info, schema) : {}), [info, schema])
  // what the node's expressions can use: the variables set upstream (a cheap walk of the graph)
  const suggestions = useMemo(() => expressionSuggestions(props.document, node.id), [props.document, node.id])
  const formContext: NodeFormContext = useMemo(() => ({ suggestions, t, locale }), [suggestions, t, locale])
  const extraErrors = useMemo(() => toErrorSchema(props.fieldErrors), [props.fieldErrors])
  const general = props.problems.filter((p) => !p.path?.startsWith('config.'))
  if (!info) return <div className="sb-pad sb-muted">{t('designer.canvas.unknownType', { type: node.type })}</div>
  const style = categoryStyle(info.category)
  return (
    <div className="sb-node-form" data-node-id={node.id}>
      <header className="sb-form-head">
        <span className="sb-palette-icon" style={{ background: style.color }} aria-hidden>
          {style.icon}
        </span>
        <div>
          <div className="sb-form-type">{info.title[locale]}</div>
          <div className="sb-muted sb-small">
            {t('designer.form.id')}: <code>{node.id}</code>
          </div>
        </div>
        {node.type !== 'start' && !readOnly && (
          <button type="button" className="sb-btn sb-btn-ghost sb-btn-danger sb-ml-auto" onClick={props.onDelete}>
            {t('designer.form.delete')}
          </button>
        )}
      </header>
      <p className="sb-form-desc">
        <InlineText text={info.description[locale]} />
      </p>
      {general.length > 0 && (
        <ul className="sb-form-problems">
          {general.map((p, i) => (
            <li key={i}>{detailOf(p)}</li>
          ))}
        </ul>
      )}
      {node.type !== 'note' && (
        <div className="sb-field">
          <label className="sb-label" htmlFor="node-title">
            {t('designer.form.title')}
          </label>
          <input
            id="node-title"
            className="sb-input"
            value={node.title ?? ''}
            placeholder={info.title[locale]}
            disabled={readOnly}
            onChange={(e) => props.onTitle(e.target.value)}
          />
        </div>
      )}
      <Form
        key={node.id}
        schema={schema}
        uiSchema={uiSchema}
        formData={node.config}
        validator={validator}
        widgets={formWidgets}
        fields={formFields}
        templates={formTemplates}
        formContext={formContext}
        extraErrors={extraErrors}
        showErrorList={false}
        noHtml5Validate
        experimental_defaultFormStateBehavior={{ emptyObjectFields: 'populateRequiredDefaults' }}
        disabled={readOnly}
        idPrefix={`cfg_${node.id}`}
        className="sb-rjsf"
        onChange={(e: IChangeEvent) => {
          const config = pruneConfig(e.formData ?? {}, info.configSchema) as Record<string, unknown>
          if (JSON.stringify(config) !== JSON.stringify(node.config)) props.onConfig(config)
        }}
      />
    </div>
  )
})
