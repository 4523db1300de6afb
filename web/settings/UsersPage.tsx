import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types.ts';
import { useMe } from '../auth/queries.ts';
import { useFormat } from '../i18n/format.ts';
import { ErrorBanner, Loading } from '../ui/Alerts.tsx';
import { fieldError } from '../ui/errors.ts';
import { Field } from '../ui/Field.tsx';
import { useAllUsers, useCreateToken, useCreateUser, useRevokeToken, useTokens, useUpdateUser } from './queries.ts';

const ROLES = ['admin', 'dispatcher', 'technician'] as const;

/** /settings/users: people (add with a role, change role, deactivate) and one's own API tokens. */
export function UsersPage() {
  const { t } = useTranslation('settings');
  const users = useAllUsers();
  return (
    <>
      <h1>{t('users')}</h1>
      <ErrorBanner error={users.error} />
      {users.isPending ? (
        <Loading />
      ) : (
        <section className="card" aria-labelledby="people-title">
          <h2 id="people-title">{t('people')}</h2>
          <section className="table-wrap" tabIndex={0} aria-label={t('people')}>
            <table>
              <thead>
                <tr>
                  <th>{t('user.name')}</th>
                  <th>{t('user.email')}</th>
                  <th>{t('user.role')}</th>
                  <th>{t('user.state')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {users.data?.items.map((u) => (
                  <UserRow key={u.id} user={u} />
                ))}
              </tbody>
            </table>
          </section>
        </section>
      )}
      <AddUserForm />
      <TokensSection />
    </>
  );
}

function UserRow({ user }: { user: User }) {
  const { t } = useTranslation('settings');
  const update = useUpdateUser();
  return (
    <tr>
      <td>{user.name}</td>
      <td>{user.email}</td>
      <td>
        <select
          aria-label={t('user.roleOf', { name: user.name })}
          value={user.role}
          disabled={update.isPending}
          onChange={(e) => update.mutate({ id: user.id, role: e.target.value, version: user.version })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`common:roles.${r}`)}
            </option>
          ))}
        </select>
        <ErrorBanner error={update.error} />
      </td>
      <td>
        <span className={user.active ? 'badge badge-done' : 'badge badge-cancelled'}>{user.active ? t('user.active') : t('user.inactive')}</span>
      </td>
      <td>
        <button type="button" disabled={update.isPending} onClick={() => update.mutate({ id: user.id, active: !user.active, version: user.version })}>
          {user.active ? t('user.deactivate', { name: user.name }) : t('user.reactivate', { name: user.name })}
        </button>
      </td>
    </tr>
  );
}

function AddUserForm() {
  const { t } = useTranslation('settings');
  const create = useCreateUser();
  const [form, setForm] = useState({ name: '', email: '', password: '', role: 'technician' });
  const on = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const err = (k: string) => fieldError(create.error, t, k);
  return (
    <section className="card" aria-labelledby="add-user-title">
      <h2 id="add-user-title">{t('user.add')}</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(form, { onSuccess: () => setForm({ name: '', email: '', password: '', role: form.role }) });
        }}
      >
        {create.error && !err('name') && !err('email') && !err('password') && !err('role') ? <ErrorBanner error={create.error} /> : null}
        <div className="form-grid">
          <Field label={t('user.name')} error={err('name')}>
            <input value={form.name} onChange={on('name')} />
          </Field>
          <Field label={t('user.email')} error={err('email')}>
            <input type="email" value={form.email} onChange={on('email')} />
          </Field>
          <Field label={t('user.password')} error={err('password')} hint={t('user.passwordHint')}>
            <input type="password" autoComplete="new-password" value={form.password} onChange={on('password')} />
          </Field>
          <Field label={t('user.role')} error={err('role')}>
            <select value={form.role} onChange={on('role')}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`common:roles.${r}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('user.addButton')}
          </button>
          {create.isSuccess && (
            <span role="status" className="banner-ok">
              {t('user.added', { name: create.data.name })}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

/** The signed-in person's own API tokens: the secret is shown once, when created. */
function TokensSection() {
  const { t } = useTranslation('settings');
  const f = useFormat();
  const me = useMe();
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState('');
  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t('tokens.title', { name: me.data?.name ?? '' })}</h2>
      <p className="muted">{t('tokens.intro')}</p>
      <form
        noValidate
        className="form-actions inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name }, { onSuccess: () => setName('') });
        }}
      >
        <Field label={t('tokens.name')} error={fieldError(create.error, t, 'name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('tokens.create')}
        </button>
      </form>
      {create.data && (
        <div className="banner banner-warning" role="status">
          <p>{t('tokens.shownOnce')}</p>
          <code className="secret">{create.data.token}</code>
        </div>
      )}
      <ErrorBanner error={tokens.error ?? revoke.error} />
      {tokens.data?.items.length ? (
        <section className="table-wrap" tabIndex={0} aria-label={t('tokens.list')}>
          <table>
            <thead>
              <tr>
                <th>{t('tokens.name')}</th>
                <th>{t('tokens.prefix')}</th>
                <th>{t('tokens.created')}</th>
                <th>{t('tokens.lastUsed')}</th>
                <th>{t('tokens.state')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((tk) => (
                <tr key={tk.id}>
                  <td>{tk.name}</td>
                  <td>
                    <code>{tk.prefix}…</code>
                  </td>
                  <td>{f.dateTime(tk.createdAt)}</td>
                  <td>{tk.lastUsedAt ? f.dateTime(tk.lastUsedAt) : t('tokens.never')}</td>
                  <td>{tk.revokedAt ? t('tokens.revoked') : t('tokens.valid')}</td>
                  <td>
                    {!tk.revokedAt && (
                      <button type="button" className="danger" onClick={() => revoke.mutate(tk.id)}>
                        {t('tokens.revoke', { name: tk.name ?? tk.prefix })}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <p className="muted">{t('tokens.none')}</p>
      )}
    </section>
  );
}
