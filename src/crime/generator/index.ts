export { generateDataset, generateRecords } from './generate.ts'
export { writeImportFiles, encodeParties, type ExtractLayout, type WriteOptions, type WrittenFiles } from './write.ts'
export { mulberry32, Random } from '../../platform/random.ts'
export type { GeneratedRecord, GenerateOptions, GroundTruth } from './types.ts'
