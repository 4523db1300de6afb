export default function SettingsPage() {
  return <h1>Paramètres</h1>;
}
