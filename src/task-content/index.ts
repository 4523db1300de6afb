export { taskContentRoutes } from './routes.ts';
export { addLine, listLines } from './lines.ts';
export { updateLine, removeLine } from './line-edits.ts';
export { assertLinesEditable } from './guard.ts';
export { lineRowsAfter, toLineDto, type LineRow } from './line-store.ts';
export { addNote, listNotes } from './notes.ts';
export { attachFile, getAttachment, listAttachments, openAttachment, removeAttachment, type Upload } from './attachments.ts';
export { contentDisposition, sanitizeFileName } from './file-name.ts';
export type { AttachmentDto, LineDto, NoteDto } from './schemas.ts';
