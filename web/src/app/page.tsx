export default function Home() {
  return (
    <main>
      <h1>Unionpoint</h1>
      <p>The merchant dashboard is on its way. The API is documented at /docs on the API server.</p>
    </main>
  );
}
