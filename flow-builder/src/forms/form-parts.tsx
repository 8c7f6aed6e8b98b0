import type {
  DescriptionFieldProps,
  FieldProps,
  IconButtonProps,
  RegistryFieldsType,
  RegistryWidgetsType,
  TemplatesType,
  WidgetProps,
} from '@rjsf/utils'
import type { Suggestion } from '../graph/expressions'
import { ExpressionInput } from './ExpressionInput'

/** What the form's custom parts get through rjsf's formContext. */
export interface NodeFormContext {
  suggestions: Suggestion[]
  t(key: string, params?: Record<string, string | number>): string
  locale: string
}

type Kind = 'expression' | 'template' | null

/** A text with `code` spans (port names, variables in help texts and node descriptions). */
export function InlineText({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/)
  return <>{parts.map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}</>
}

/** A field's help text, between its label and its input (where rjsf puts a description). */
const Help = ({ text }: { text: string | undefined }) =>
  text ? (
    <div className="sb-help sb-field-help">
      <InlineText text={text} />
    </div>
  ) : null

/** rjsf's description of a field, list or group: the same help text. */
function DescriptionFieldTemplate({ id, description }: DescriptionFieldProps) {
  if (!description) return null
  return (
    <div id={id} className="sb-help field-description">
      {typeof description === 'string' ? <InlineText text={description} /> : description}
    </div>
  )
}
const kindOf = (options: Record<string, unknown> | undefined): Kind => (options?.expression as Kind | undefined) ?? null

function ExpressionWidget(props: WidgetProps) {
  const ctx = props.registry.formContext as NodeFormContext
  return (
    <ExpressionInput
      id={props.id}
      value={typeof props.value === 'string' ? props.value : ''}
      kind={kindOf(props.options) ?? 'expression'}
      multiline={kindOf(props.options) === 'template'}
      suggestions={ctx.suggestions}
      disabled={props.disabled || props.readonly}
      invalid={!!props.rawErrors?.length}
      onChange={(v) => props.onChange(v === '' ? undefined : v)}
    />
  )
}

/** A text in one language, or in Chinese and English: two boxes, stored as a string or { en, zh-CN }. */
function LocalizedTextField(props: FieldProps) {
  const ctx = props.registry.formContext as NodeFormContext
  const kind = kindOf(props.uiSchema?.['ui:options'] as Record<string, unknown>) ?? 'template'
  const value = props.formData as unknown
  const both = value !== null && typeof value === 'object'
  const obj = (both ? value : {}) as Record<string, string | undefined>
  const set = (next: unknown) => props.onChange(next as never, props.fieldPathId.path)
  const id = props.fieldPathId.$id
  return (
    <div className="sb-field">
      <div className="sb-field-label-row">
        <label className="sb-label" htmlFor={both ? `${id}_zh` : id}>
          {props.schema.title ?? props.name}
          {props.required && <span className="sb-required">*</span>}
        </label>
        <label className="sb-toggle">
          <input
            type="checkbox"
            checked={both}
            disabled={props.disabled || props.readonly}
            onChange={(e) =>
              set(
                e.target.checked
                  ? { 'zh-CN': typeof value === 'string' ? value : '', en: '' }
                  : (obj['zh-CN'] ?? obj.en ?? ''),
              )
            }
          />
          {ctx.t('designer.form.bilingual')}
        </label>
      </div>
      <Help text={props.schema.description} />
      {both ? (
        (['zh-CN', 'en'] as const).map((lang) => (
          <div key={lang} className="sb-lang-row">
            <span className="sb-lang">{lang === 'zh-CN' ? '中文' : 'EN'}</span>
            <ExpressionInput
              id={lang === 'zh-CN' ? `${id}_zh` : `${id}_en`}
              value={obj[lang] ?? ''}
              kind={kind}
              multiline
              suggestions={ctx.suggestions}
              disabled={props.disabled || props.readonly}
              onChange={(v) => set({ ...obj, [lang]: v })}
            />
          </div>
        ))
      ) : (
        <ExpressionInput
          id={id}
          value={typeof value === 'string' ? value : ''}
          kind={kind}
          multiline
          suggestions={ctx.suggestions}
          disabled={props.disabled || props.readonly}
          onChange={(v) => set(v === '' ? undefined : v)}
        />
      )}
      {props.errorSchema?.__errors?.map((e) => (
        <div key={e} className="sb-field-error">
          {e}
        </div>
      ))}
    </div>
  )
}

/** A number or a text (a duration like 30s, a priority expression): one text box; digits are stored as a number. */
function ScalarTextField(props: FieldProps) {
  const ctx = props.registry.formContext as NodeFormContext
  const kind = kindOf(props.uiSchema?.['ui:options'] as Record<string, unknown>)
  const value = props.formData === undefined || props.formData === null ? '' : String(props.formData)
  const set = (v: string) =>
    props.onChange((v === '' ? undefined : /^\d+$/.test(v) ? Number(v) : v) as never, props.fieldPathId.path)
  const id = props.fieldPathId.$id
  const defaultValue = (props.schema as { default?: unknown }).default
  return (
    <div className="sb-field">
      <label className="sb-label" htmlFor={id}>
        {props.schema.title ?? props.name}
        {props.required && <span className="sb-required">*</span>}
      </label>
      <Help text={props.schema.description} />
      {kind ? (
        <ExpressionInput
          id={id}
          value={value}
          kind={kind}
          suggestions={ctx.suggestions}
          onChange={set}
          disabled={props.disabled || props.readonly}
        />
      ) : (
        <input
          id={id}
          className="sb-input"
          value={value}
          placeholder={defaultValue !== undefined ? String(defaultValue) : ''}
          disabled={props.disabled || props.readonly}
          onChange={(e) => set(e.target.value)}
        />
      )}
      {props.errorSchema?.__errors?.map((e) => (
        <div key={e} className="sb-field-error">
          {e}
        </div>
      ))}
    </div>
  )
}

/** name → value rows (plugin action input, HTTP headers, attributes); values may be expressions. */
function KeyValueField(props: FieldProps) {
  const ctx = props.registry.formContext as NodeFormContext
  const kind = kindOf(props.uiSchema?.['ui:options'] as Record<string, unknown>)
  const entries = Object.entries((props.formData ?? {}) as Record<string, string>)
  const id = props.fieldPathId.$id
  const set = (next: Array<[string, string]>) =>
    props.onChange(Object.fromEntries(next) as never, props.fieldPathId.path)
  const readOnly = props.disabled || props.readonly
  return (
    <div className="sb-field">
      <label className="sb-label">{props.schema.title ?? props.name}</label>
      <Help text={props.schema.description} />
      {entries.map(([key, value], i) => (
        <div key={i} className="sb-kv-row">
          <input
            className="sb-input sb-kv-key"
            id={`${id}_key_${i}`}
            value={key}
            placeholder={ctx.t('designer.form.key')}
            disabled={readOnly}
            onChange={(e) => set(entries.map((en, j) => (j === i ? [e.target.value, en[1]] : en)))}
          />
          {kind ? (
            <ExpressionInput
              id={`${id}_value_${i}`}
              value={value}
              kind={kind}
              suggestions={ctx.suggestions}
              disabled={readOnly}
              onChange={(v) => set(entries.map((en, j) => (j === i ? [en[0], v] : en)))}
            />
          ) : (
            <input
              className="sb-input"
              id={`${id}_value_${i}`}
              value={value}
              disabled={readOnly}
              onChange={(e) => set(entries.map((en, j) => (j === i ? [en[0], e.target.value] : en)))}
            />
          )}
          <button
            type="button"
            className="sb-icon-btn"
            disabled={readOnly}
            title={ctx.t('designer.form.remove')}
            onClick={() => set(entries.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="sb-link-btn"
        id={`${id}_add`}
        disabled={readOnly}
        onClick={() => {
          let n = entries.length + 1
          while (entries.some(([k]) => k === `field${n}`)) n++
          set([...entries, [`field${n}`, '']])
        }}
      >
        + {ctx.t('designer.form.addRow')}
      </button>
      {props.errorSchema?.__errors?.map((e) => (
        <div key={e} className="sb-field-error">
          {e}
        </div>
      ))}
    </div>
  )
}

const button =
  (glyph: string, key: string, className = 'sb-icon-btn') =>
  (props: IconButtonProps) => {
    const ctx = props.registry.formContext as NodeFormContext
    const { onClick, disabled, id } = props
    return (
      <button type="button" id={id} className={className} onClick={onClick} disabled={disabled} title={ctx.t(key)}>
        {glyph}
      </button>
    )
  }

function AddButton(props: IconButtonProps) {
  const ctx = props.registry.formContext as NodeFormContext
  return (
    <button type="button" id={props.id} className="sb-link-btn" onClick={props.onClick} disabled={props.disabled}>
      + {ctx.t('designer.form.addItem')}
    </button>
  )
}

export const formWidgets: RegistryWidgetsType = { expression: ExpressionWidget }
export const formFields: RegistryFieldsType = {
  localizedText: LocalizedTextField,
  scalarText: ScalarTextField,
  keyValue: KeyValueField,
}
export const formTemplates: Partial<TemplatesType> = {
  DescriptionFieldTemplate,
  ButtonTemplates: {
    AddButton,
    RemoveButton: button('×', 'designer.form.remove'),
    MoveUpButton: button('↑', 'designer.form.moveUp'),
    MoveDownButton: button('↓', 'designer.form.moveDown'),
    CopyButton: button('⧉', 'designer.form.copy'),
    ClearButton: button('×', 'designer.form.remove'),
    SubmitButton: () => null,
  },
}
