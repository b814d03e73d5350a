/** OpenWebUI's own HTTP API, as a user's browser or script calls it: sign in, list models, chat, its socket.io. */
import { randomUUID } from "node:crypto";
import type { LookupFunction } from "node:net";
import WebSocket from "ws";

/**
 * How requests reach OpenWebUI when not straight to its Service: through the ingress controller, by TLS with a CA of
 * the test's own, the tenant's host name resolved to the controller's address (as a user's DNS would).
 */
export interface Transport {
  fetch: typeof fetch;
  tls: { ca: string; lookup: LookupFunction };
}

export interface ChatAnswer {
  text: string;
  /** Streamed answers: how many chunks carried content. */
  chunks?: number;
  /** Streamed answers: milliseconds from the request to the first content chunk. */
  firstTokenMs?: number;
  /** Streamed answers: milliseconds from the request to the last content chunk. */
  lastTokenMs?: number;
  /** Streamed answers: how many reads of the response carried content (one, when something held the answer back). */
  arrivals?: number;
}

/** A chat event OpenWebUI sent a user's socket: which chat and answer it is about, what it says, when it came. */
export interface SocketEvent {
  at: number;
  chat_id?: string;
  message_id?: string;
  data: { type: string; data?: { description?: string; done?: boolean } };
}

const json = async (res: Response, what: string): Promise<Record<string, unknown>> => {
  const body = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status}: ${body.slice(0, 300)}`);
  return JSON.parse(body) as Record<string, unknown>;
};

export class OpenWebUI {
  token = "";

  constructor(
    readonly baseUrl: string,
    private readonly transport?: Transport,
  ) {}

  private fetch(url: string, init?: RequestInit): Promise<Response> {
    return (this.transport?.fetch ?? fetch)(url, init);
  }

  private headers(): Record<string, string> {
    return { "content-type": "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) };
  }

  async signin(email: string, password: string): Promise<string> {
    const res = await this.fetch(`${this.baseUrl}/api/v1/auths/signin`, {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify({ email, password }),
    });
    const body = await json(res, "sign in");
    this.token = String(body.token);
    return String(body.role);
  }

  /** The signed-in user, as the server resolves the token. */
  async session(): Promise<{ email: string; role: string }> {
    const res = await this.fetch(`${this.baseUrl}/api/v1/auths/`, { headers: this.headers() });
    const body = await json(res, "session");
    return { email: String(body.email), role: String(body.role) };
  }

  /**
   * Opens the socket.io connection the web UI keeps (engine.io over a WebSocket, the token in the CONNECT packet);
   * resolves with the socket's id once the server accepted it. It stays open until `close`; `events` are the chat
   * events OpenWebUI sent the user on it so far (what the web UI shows live: status lines, answers), as they came.
   */
  socket(): Promise<{ sid: string; open: () => boolean; close: () => void; events: () => SocketEvent[] }> {
    const ws = new WebSocket(`${this.baseUrl.replace(/^http/, "ws")}/ws/socket.io/?EIO=4&transport=websocket`, {
      ...this.transport?.tls,
    });
    const events: SocketEvent[] = [];
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        ws.terminate();
        reject(new Error(`socket.io at ${this.baseUrl}: ${why}`));
      };
      const timer = setTimeout(() => fail("no CONNECT answer in 10 s"), 10_000);
      ws.on("error", (e) => fail(e.message));
      ws.on("message", (data) => {
        const packet = data.toString();
        // engine.io OPEN → socket.io CONNECT with the token; PING → PONG; CONNECT ack carries the socket id.
        if (packet.startsWith("0")) ws.send(`40${JSON.stringify({ token: this.token })}`);
        else if (packet === "2") ws.send("3");
        else if (packet.startsWith("42")) {
          const [name, event] = JSON.parse(packet.slice(2)) as [string, Omit<SocketEvent, "at">];
          if (name === "events") events.push({ at: Date.now(), ...event });
        } else if (packet.startsWith("44")) fail(`connect refused: ${packet.slice(2)}`);
        else if (packet.startsWith("40")) {
          clearTimeout(timer);
          resolve({
            sid: String((JSON.parse(packet.slice(2)) as { sid: string }).sid),
            open: () => ws.readyState === WebSocket.OPEN,
            close: () => ws.close(),
            events: () => events,
          });
        }
      });
    });
  }

  async models(): Promise<string[]> {
    const res = await this.fetch(`${this.baseUrl}/api/models`, { headers: this.headers() });
    const body = await json(res, "list models");
    return ((body.data as { id: string }[]) ?? []).map((m) => m.id);
  }

  /** POST /api/chat/completions, not streamed. */
  async chat(model: string, prompt: string): Promise<ChatAnswer> {
    const res = await this.fetch(`${this.baseUrl}/api/chat/completions`, {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify({ model, stream: false, messages: [{ role: "user", content: prompt }] }),
    });
    const body = await json(res, "chat");
    const choices = body.choices as { message: { content: string } }[] | undefined;
    return { text: choices?.[0]?.message?.content ?? "" };
  }

  /**
   * Uploads a file of `size` zero bytes as the web UI does (multipart, to /api/v1/files/, not processed for search):
   * the HTTP status and the start of the answer.
   */
  async upload(name: string, size: number): Promise<{ status: number; body: string }> {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(size)]), name);
    // Encoded here, so that any transport sends the same bytes and boundary.
    const encoded = new Response(form);
    const res = await this.fetch(`${this.baseUrl}/api/v1/files/?process=false`, {
      method: "POST",
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        "content-type": encoded.headers.get("content-type") ?? "",
      },
      body: Buffer.from(await encoded.arrayBuffer()),
    });
    return { status: res.status, body: (await res.text()).slice(0, 300) };
  }

  private async post(path: string, body: unknown, what: string): Promise<Record<string, unknown>> {
    const res = await this.fetch(`${this.baseUrl}${path}`, {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify(body),
    });
    return json(res, what);
  }

  /** Admin: adds an account with role user, as the admin panel does; returns its id. */
  async addUser(name: string, email: string, password: string): Promise<string> {
    return String((await this.post("/api/v1/auths/add", { name, email, password, role: "user" }, "add user")).id);
  }

  /** Admin: puts users into the group named `group`. */
  async addToGroup(group: string, userIds: string[]): Promise<void> {
    const res = await this.fetch(`${this.baseUrl}/api/v1/groups/`, { headers: this.headers() });
    const groups = (await res.json()) as { id: string; name: string }[];
    const id = groups.find((g) => g.name === group)?.id;
    if (!id) throw new Error(`OpenWebUI has no group ${group} (it has ${groups.map((g) => g.name).join(", ")})`);
    await this.post(`/api/v1/groups/id/${id}/users/add`, { user_ids: userIds }, `add to group ${group}`);
  }

  /** Who may read a model, as its access grants say: `user *`, `group <name>`… (admin). */
  async readers(model: string): Promise<string[]> {
    const res = await this.fetch(`${this.baseUrl}/api/v1/models/model?id=${encodeURIComponent(model)}`, {
      headers: this.headers(),
    });
    if (res.status === 404 || res.status === 401) return [];
    const body = (await json(res, `model ${model}`)) as {
      access_grants?: { principal_type: string; principal_id: string; permission: string }[];
    } | null;
    return (body?.access_grants ?? [])
      .filter((g) => g.permission === "read")
      .map((g) => `${g.principal_type} ${g.principal_id}`);
  }

  /** POST /ollama/api/generate: Ollama's own API, proxied by OpenWebUI with the user's model access. */
  async generate(model: string, prompt: string): Promise<string> {
    const body = await this.post("/ollama/api/generate", { model, prompt, stream: false }, "generate");
    return String(body.response ?? "");
  }

  /**
   * A chat as the web UI holds one: the question stored in a saved chat, the answer asked for with the chat's and the
   * answer's ids, so OpenWebUI stores the answer, and its token usage, in that chat. Returns the usage the answer
   * carried (OpenAI's fields, from Ollama's counts).
   */
  async chatSaved(model: string, prompt: string): Promise<{ text: string; totalTokens: number }> {
    const question = { id: randomUUID(), role: "user", content: prompt };
    const chatId = await this.saveChat(prompt, [question]);
    const body = await this.post(
      "/api/chat/completions",
      { model, stream: false, chat_id: chatId, id: randomUUID(), messages: [{ role: "user", content: prompt }] },
      "chat (saved)",
    );
    const choices = body.choices as { message: { content: string } }[] | undefined;
    const usage = body.usage as { total_tokens?: number } | undefined;
    return { text: choices?.[0]?.message?.content ?? "", totalTokens: usage?.total_tokens ?? 0 };
  }

  /** Admin: the tenant's token usage per model, from OpenWebUI's analytics (what its admin panel shows). */
  async tokenUsage(): Promise<Record<string, number>> {
    const res = await this.fetch(`${this.baseUrl}/api/v1/analytics/tokens`, { headers: this.headers() });
    const body = (await json(res, "token usage")) as { models?: { model_id: string; total_tokens: number }[] };
    return Object.fromEntries((body.models ?? []).map((m) => [m.model_id, m.total_tokens]));
  }

  /** Stores a conversation as the user's chat (what the web UI does after an answer); returns its id. */
  async saveChat(
    title: string,
    messages: { role: string; content: string }[],
    more: Record<string, unknown> = {},
  ): Promise<string> {
    const res = await this.fetch(`${this.baseUrl}/api/v1/chats/new`, {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify({ chat: { title, messages, ...more } }),
    });
    return String((await json(res, "save chat")).id);
  }

  /** The titles of the user's chats. */
  async chatTitles(): Promise<string[]> {
    const res = await this.fetch(`${this.baseUrl}/api/v1/chats/`, { headers: this.headers() });
    const body = await res.text();
    if (!res.ok) throw new Error(`list chats: HTTP ${res.status}: ${body.slice(0, 300)}`);
    return (JSON.parse(body) as { title: string }[]).map((c) => c.title);
  }

  /**
   * A streamed chat as the web UI sends one: the chat saved first with the question and the answer it waits for, then
   * the answer asked for with both ids, so that what OpenWebUI says about the answer while it comes (its status lines)
   * is kept on it, as the web UI shows them again when the chat is opened. Returns the answer and where it is kept.
   */
  async chatInWebUi(model: string, prompt: string): Promise<ChatAnswer & { chatId: string; messageId: string }> {
    const question = { id: randomUUID(), parentId: null, childrenIds: [] as string[], role: "user", content: prompt };
    const answer = { id: randomUUID(), parentId: question.id, childrenIds: [], role: "assistant", content: "", model };
    question.childrenIds.push(answer.id);
    const chatId = await this.saveChat(prompt, [question, answer], {
      models: [model],
      history: { messages: { [question.id]: question, [answer.id]: answer }, currentId: answer.id },
    });
    const answered = await this.chatStream(model, prompt, { chat_id: chatId, id: answer.id });
    return { ...answered, chatId, messageId: answer.id };
  }

  /** The status lines OpenWebUI kept on an answer of a saved chat, in the order they came. */
  async statuses(chatId: string, messageId: string): Promise<{ description: string; done: boolean }[]> {
    const res = await this.fetch(`${this.baseUrl}/api/v1/chats/${chatId}`, { headers: this.headers() });
    const body = (await json(res, `chat ${chatId}`)) as {
      chat?: { history?: { messages?: Record<string, { statusHistory?: { description: string; done: boolean }[] }> } };
    };
    return body.chat?.history?.messages?.[messageId]?.statusHistory ?? [];
  }

  /**
   * POST /api/chat/completions, streamed as server-sent events, read as they arrive: `firstTokenMs` is when the first
   * content chunk came, counted from the request (what a user waits before the answer starts). `saved` names the
   * saved chat and answer it belongs to (chatInWebUi).
   */
  async chatStream(model: string, prompt: string, saved?: { chat_id: string; id: string }): Promise<ChatAnswer> {
    const sent = Date.now();
    const res = await this.fetch(`${this.baseUrl}/api/chat/completions`, {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: prompt }], ...saved }),
    });
    if (!res.ok || !res.body) {
      throw new Error(`chat (streamed): HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
    }
    const answer: ChatAnswer = { text: "", chunks: 0 };
    let pending = "";
    const decoder = new TextDecoder();
    for await (const bytes of res.body) {
      pending += decoder.decode(bytes, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      const before = answer.chunks;
      for (const line of lines) this.readEvent(line, answer, sent);
      if (answer.chunks !== before) answer.arrivals = (answer.arrivals ?? 0) + 1;
    }
    this.readEvent(pending, answer, sent);
    return answer;
  }

  /** One server-sent event line of a streamed answer, added to `answer`. */
  private readEvent(line: string, answer: ChatAnswer, sent: number): void {
    if (!line.startsWith("data: ") || line === "data: [DONE]") return;
    const delta = (JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta
      ?.content;
    if (!delta) return;
    answer.firstTokenMs ??= Date.now() - sent;
    answer.lastTokenMs = Date.now() - sent;
    answer.text += delta;
    answer.chunks = (answer.chunks ?? 0) + 1;
  }
}
