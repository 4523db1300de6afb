import { isUniqueViolation } from '../../db/errors.ts';
import { conflict } from '../../shared/errors.ts';

/** Runs an insert of an issued document; a number clash (after a pattern change) answers 409. */
export async function insertIssued<T>(number: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const e = conflict('invoice_number_taken', `invoice number ${number} is already used; change the numbering pattern`, { number });
    throw Object.assign(e, { cause: err });
  }
}
