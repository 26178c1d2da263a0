// The small component set of the web shell; features import from here only.
export { Button, ButtonLink, type ButtonProps, type ButtonVariant } from './Button';
export { TextField, TextAreaField, SelectField, CheckboxField, SearchField, Options } from './Field';
export { Alert, ErrorAlert, Badge, Loading, Empty, type AlertTone } from './Feedback';
export { Notice, PageHeader, Panel, useTitle } from './Page';
export { ConfirmButton } from './ConfirmButton';
export { PersonField } from './PersonField';
export { ItemPicker, type ItemPickerWords, type PickedItem } from './ItemPicker';
export { useDebounced } from './hooks';
export {
  capitalise,
  formatDate,
  formatDateTime,
  formatDay,
  formatNumber,
  formatTime,
  weekdayName,
} from './format';
export { actionName, entityName, fieldName, fieldNameInline, isId } from './words';
export { priorityLabel, priorityName, PRIORITIES_BY_URGENCY, PRIORITY_NAMES } from './priority';
export { ListPage, ListTable, type Column, type ListQuery } from './ListPage';
export {
  FormActions,
  FormError,
  StaleAlert,
  binder,
  fieldErrorsOf,
  useFieldErrors,
  type BoundField,
} from './FormFields';
// Markdown and MarkdownField are imported from './Markdown' directly: the renderer is loaded with the pages
// that need it, not with the shell.
