import type { OperatorRecord } from '@switchboard/persistence';
import type {
  AGENT_REQUESTS,
  AgentClientEvents,
  AgentResults,
  AgentServerEvents,
  VISITOR_REQUESTS,
  VisitorClientEvents,
  VisitorResults,
  VisitorServerEvents,
} from '@switchboard/protocol';
import type { Namespace, Socket } from 'socket.io';
import type { RequestHandlers } from './socket-request';

/** What the visitor namespace keeps per connection. */
export interface VisitorSocketData {
  /** The chats this connection started or rejoined with their token: the only ones it may touch. */
  chats: Set<string>;
}

/** What the agent namespace keeps per connection. */
export interface AgentSocketData {
  agent?: OperatorRecord;
  /** The session the connection signed in with; its revocation closes the connection. */
  sessionKey?: string;
  /** The token check started at connection: requests sent meanwhile wait for it. */
  authenticating?: Promise<void>;
}

/** Nodes share nothing over socket.io (the cluster stream fans out), so no server-side events. */
type NoServerSideEvents = Record<never, never>;

/** The visitor namespace, typed by the protocol's event maps: what it hears, what it pushes. */
export type VisitorNamespace = Namespace<
  VisitorClientEvents,
  VisitorServerEvents,
  NoServerSideEvents,
  VisitorSocketData
>;
export type VisitorSocket = Socket<
  VisitorClientEvents,
  VisitorServerEvents,
  NoServerSideEvents,
  VisitorSocketData
>;

export type AgentNamespace = Namespace<
  AgentClientEvents,
  AgentServerEvents,
  NoServerSideEvents,
  AgentSocketData
>;
export type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, NoServerSideEvents, AgentSocketData>;

/** The visitor namespace's use cases, one per request of `VISITOR_REQUESTS`. */
export type VisitorRequestHandlers = RequestHandlers<typeof VISITOR_REQUESTS, VisitorResults, VisitorSocket>;
/** The agent namespace's use cases, one per request of `AGENT_REQUESTS`. */
export type AgentRequestHandlers = RequestHandlers<typeof AGENT_REQUESTS, AgentResults, AgentSocket>;
