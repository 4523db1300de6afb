import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/queries.ts';
import { LOCALES, setLocale, type AppLocale } from '../i18n/index.ts';

/** Français / English, remembered for this person in this browser. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  return (
    <label className="language-switch">
      <span>{t('nav.language')}</span>
      <select value={i18n.language} onChange={(e) => setLocale(e.target.value as AppLocale, me.data?.id)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l === 'en' ? 'en' : 'fr'}>
            {t(`languages.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
