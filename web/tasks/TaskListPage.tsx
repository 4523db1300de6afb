import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { TaskQuery } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { useClientOptions, useTasks, useTaskTypes, useUsers } from './queries.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { typeLabel } from './workflow.ts';

const PAGE_SIZE = 50;
const filtersOpenAtFirst = typeof window === 'undefined' || window.matchMedia('(min-width: 721px)').matches;
const CATEGORIES = ['open', 'active', 'done', 'cancelled'] as const;
const SORTS = [
  ['-number', 'sortNumber'],
  ['number', 'sortNumberAsc'],
  ['scheduledStart', 'sortScheduled'],
  ['-scheduledStart', 'sortScheduledDesc'],
] as const;
type Sort = (typeof SORTS)[number][0];

/** Filters live in the URL (a filtered list can be bookmarked or shared); paging keeps a cursor stack. */
export function TaskListPage() {
  const { t, i18n } = useTranslation('tasks');
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [cursors, setCursors] = useState<string[]>([]);
  const types = useTaskTypes();
  const users = useUsers();
  const clients = useClientOptions();
  const get = (k: string) => params.get(k) ?? '';
  const status = get('status'); // "category:done" or a status key "in_progress"
  const dayStart = (d: string) => (d ? new Date(`${d}T00:00:00`).toISOString() : undefined);
  const dayAfter = (d: string) => (d ? new Date(new Date(`${d}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined);
  const query: TaskQuery = {
    q: get('q') || undefined,
    statusCategory: status.startsWith('category:') ? (status.slice(9) as TaskQuery['statusCategory']) : undefined,
    status: status && !status.startsWith('category:') ? status : undefined,
    typeId: get('type') || undefined,
    clientId: get('client') || undefined,
    assigneeId: get('assignee') || undefined,
    scheduledFrom: dayStart(get('from')),
    scheduledTo: dayAfter(get('to')),
    topLevel: get('top') === '1' ? 'true' : undefined,
    sort: (get('sort') || '-number') as Sort,
    limit: PAGE_SIZE,
    cursor: cursors[cursors.length - 1],
  };
  const tasks = useTasks(query);
  const setFilter = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
    setCursors([]);
  };
  const typeOf = (id: string) => types.data?.items.find((ty) => ty.id === id);
  const userName = (id: string) => users.data?.items.find((u) => u.id === id)?.name ?? '…';
  const statuses = new Map<string, string>();
  for (const ty of types.data?.items ?? [])
    for (const s of ty.workflow.statuses) if (!statuses.has(s.key)) statuses.set(s.key, i18n.language === 'en' ? s.label.en : s.label.fr);
  const items = tasks.data?.items ?? [];
  const activeFilters = [...params.keys()].filter((k) => k !== 'sort').length;

  return (
    <>
      <div className="page-head">
        <h1>{t('list.title')}</h1>
        <Link to="/tasks/board" className="button">
          {t('list.board')}
        </Link>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => navigate('/tasks/new')}>
          {t('list.newTask')}
        </button>
      </div>
      {/* Open on a desk, folded on a phone (where the list matters more than the filters). */}
      <details className="card" open={filtersOpenAtFirst}>
        <summary>
          {t('list.filters')}
          {activeFilters > 0 && ` (${activeFilters})`}
        </summary>
        <div className="filters">
          <div className="field">
            <label htmlFor="f-q">{t('list.search')}</label>
            <input id="f-q" type="search" value={get('q')} onChange={(e) => setFilter('q', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="f-status">{t('list.status')}</label>
            <select id="f-status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
              <option value="">{t('list.anyStatus')}</option>
              <optgroup label={t('list.status')}>
                {CATEGORIES.map((c) => (
                  <option key={c} value={`category:${c}`}>
                    {t(`category.${c}`)}
                  </option>
                ))}
              </optgroup>
              <optgroup label="—">
                {[...statuses].map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </optgroup>
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-type">{t('list.type')}</label>
            <select id="f-type" value={get('type')} onChange={(e) => setFilter('type', e.target.value)}>
              <option value="">{t('list.anyType')}</option>
              {types.data?.items.map((ty) => (
                <option key={ty.id} value={ty.id}>
                  {typeLabel(ty, i18n.language)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-client">{t('list.client')}</label>
            <select id="f-client" value={get('client')} onChange={(e) => setFilter('client', e.target.value)}>
              <option value="">{t('list.anyClient')}</option>
              {clients.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-assignee">{t('list.assignee')}</label>
            <select id="f-assignee" value={get('assignee')} onChange={(e) => setFilter('assignee', e.target.value)}>
              <option value="">{t('list.anyAssignee')}</option>
              {users.data?.items
                .filter((u) => u.role === 'technician')
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-from">{t('list.from')}</label>
            <input id="f-from" type="date" value={get('from')} onChange={(e) => setFilter('from', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="f-to">{t('list.to')}</label>
            <input id="f-to" type="date" value={get('to')} onChange={(e) => setFilter('to', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="f-sort">{t('list.sort')}</label>
            <select id="f-sort" value={query.sort} onChange={(e) => setFilter('sort', e.target.value === '-number' ? '' : e.target.value)}>
              {SORTS.map(([v, k]) => (
                <option key={v} value={v}>
                  {t(`list.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <label className="check field">
            <span>
              <input type="checkbox" checked={get('top') === '1'} onChange={(e) => setFilter('top', e.target.checked ? '1' : '')} /> {t('list.topLevel')}
            </span>
          </label>
        </div>
        {params.size > 0 && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setParams({}, { replace: true });
              setCursors([]);
            }}
          >
            {t('list.clear')}
          </button>
        )}
      </details>
      <ErrorBanner error={tasks.error} />
      {tasks.isPending ? (
        <Loading />
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table>
            <caption className="muted" style={{ captionSide: 'bottom', textAlign: 'left', paddingTop: '0.5rem' }}>
              {t('list.count', { count: items.length })}
            </caption>
            <thead>
              <tr>
                <SortHeader label={t('list.number')} sort={query.sort as Sort} field="number" onSort={(v) => setFilter('sort', v === '-number' ? '' : v)} />
                <th scope="col">{t('list.titleCol')}</th>
                <th scope="col">{t('list.status')}</th>
                <th scope="col" className="hide-narrow">
                  {t('list.client')}
                </th>
                <th scope="col" className="hide-narrow">
                  {t('list.assignees')}
                </th>
                <SortHeader
                  label={t('list.scheduled')}
                  sort={query.sort as Sort}
                  field="scheduledStart"
                  onSort={(v) => setFilter('sort', v === '-number' ? '' : v)}
                />
              </tr>
            </thead>
            <tbody>
              {items.map((task) => (
                <tr key={task.id}>
                  <td>
                    <Link to={`/tasks/${task.id}`}>{task.displayNumber}</Link>
                  </td>
                  <td>
                    <Link to={`/tasks/${task.id}`}>{task.title}</Link>
                    {task.parentId && <span className="muted"> ↳</span>}
                  </td>
                  <td>
                    <StatusBadge task={task} type={typeOf(task.typeId)} />
                  </td>
                  <td className="hide-narrow">{task.client?.name}</td>
                  <td className="hide-narrow">{task.assigneeIds.map(userName).join(', ')}</td>
                  <td>{f.dateTime(task.scheduledStart)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.length === 0 && <p className="muted">{t('list.empty')}</p>}
        </div>
      )}
      <nav className="pager" aria-label={t('common:pagination.page', { n: cursors.length + 1 })}>
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('common:actions.previous')}
        </button>
        <span>{t('common:pagination.page', { n: cursors.length + 1 })}</span>
        <button type="button" disabled={!tasks.data?.nextCursor} onClick={() => tasks.data?.nextCursor && setCursors([...cursors, tasks.data.nextCursor])}>
          {t('common:actions.next')}
        </button>
      </nav>
    </>
  );
}

/** A column header that sorts by its field; a second click reverses the order. */
function SortHeader({ label, sort, field, onSort }: { label: string; sort: Sort; field: 'number' | 'scheduledStart'; onSort: (s: Sort) => void }) {
  const active = sort.replace('-', '') === field;
  const desc = sort.startsWith('-');
  const next: Sort = active ? ((desc ? field : `-${field}`) as Sort) : field === 'number' ? '-number' : 'scheduledStart';
  return (
    <th scope="col" aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(next)}>
        {label} <span aria-hidden="true">{active ? (desc ? '↓' : '↑') : '↕'}</span>
      </button>
    </th>
  );
}
