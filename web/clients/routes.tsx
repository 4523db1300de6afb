export default function ClientRoutes() {
  return <h1>Clients</h1>;
}
