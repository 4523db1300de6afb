export default function TaskRoutes() {
  return <h1>Tâches</h1>;
}
