import type { Catalogue } from '../i18n/index.ts';

export const authMessages: Catalogue = {
  'fr-CA': {
    login: {
      title: 'Connexion',
      email: 'Courriel',
      password: 'Mot de passe',
      submit: 'Se connecter',
      noAccount: 'Pas encore de compte ?',
      signupLink: 'Créer une organisation',
    },
    signup: {
      title: 'Créer une organisation',
      orgName: "Nom de l'organisation",
      name: 'Votre nom',
      email: 'Courriel',
      password: 'Mot de passe',
      passwordHint: 'Au moins 10 caractères.',
      submit: 'Créer une organisation',
      haveAccount: 'Déjà un compte ?',
      loginLink: 'Se connecter',
    },
  },
  en: {
    login: { title: 'Log in', email: 'Email', password: 'Password', submit: 'Log in', noAccount: 'No account yet?', signupLink: 'Create an organization' },
    signup: {
      title: 'Create an organization',
      orgName: 'Organization name',
      name: 'Your name',
      email: 'Email',
      password: 'Password',
      passwordHint: 'At least 10 characters.',
      submit: 'Create an organization',
      haveAccount: 'Already have an account?',
      loginLink: 'Log in',
    },
  },
};
