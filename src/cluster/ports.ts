import { createServer, type Server } from "node:net";

const listen = (): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, exclusive: true }, () => resolve(server));
  });

const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/**
 * `count` distinct free TCP ports on 127.0.0.1, found by binding port 0. All sockets stay open until every port is
 * picked, so the ports differ; another process can still take one before a component binds it, which the component
 * then reports as "address already in use".
 */
export const freePorts = async (count: number): Promise<number[]> => {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listen());
    return servers.map((s) => {
      const address = s.address();
      if (address === null || typeof address === "string") throw new Error("could not read a bound port");
      return address.port;
    });
  } finally {
    await Promise.all(servers.map(close));
  }
};
