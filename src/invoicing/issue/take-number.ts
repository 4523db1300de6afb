import { nextCounterValue, type Executor } from '../../db/index.ts';
import { formatInvoiceNumber, numberCounterName } from '../number-pattern.ts';

/**
 * The next invoice (or credit note) number of the organization. MUST run inside the issuing
 * transaction: the counter's row lock is held until commit, so numbers are gapless and unique,
 * and a rollback gives the number back.
 */
export async function takeInvoiceNumber(trx: Executor, orgId: string, pattern: string, issueDate: string): Promise<string> {
  const seq = await nextCounterValue(trx, orgId, numberCounterName(pattern, issueDate));
  return formatInvoiceNumber(pattern, issueDate, seq);
}
