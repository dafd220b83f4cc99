import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workbook root: where package.json, exercises/ and solutions/ live. */
export const WORKBOOK_ROOT = process.env.WORKBOOK_ROOT
  ? path.resolve(process.env.WORKBOOK_ROOT)
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
