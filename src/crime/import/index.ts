export {
  columnMappingSchema,
  decodeParties,
  detectExtract,
  loadColumnMapping,
  readCrimeExtracts,
  type ColumnMapping,
  type CrimeExtractReader,
  type DetectedExtract,
  type ExtractKind,
  type ImportNotice,
  type ReadOptions,
  type ReadResult,
} from './read.ts'
export { looksLikeText } from './csv.ts'
export { isZip } from './xlsx.ts'
export { parseDate, isoOf, DATE_FORMATS, type DateFormat, type ParsedDate } from './dates.ts'
