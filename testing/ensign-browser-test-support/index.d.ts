/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number>;

/**
 * Starts the server of a built distribution (distribution/target/ensign) on a free loopback port with a new data
 * directory and the given admin token; resolves once /health/ready and every one of `paths` answer 200.
 */
export function startEnsign(options: { distribution: string; adminToken: string; paths?: string[] }):
  Promise<{ url: string; stop: () => void }>;

/** A JSON request to the server with a bearer token: the client's own, or `as`. */
export type Api = (method: string, path: string, body?: unknown, as?: string) => Promise<Response>;
export function apiClient(url: string, token: string): Api;

/** Asserts the status (the body is the message) and returns the parsed body, if any. */
export function expectStatus(response: Response, status: number): Promise<any>;

/** Debian's Chromium (or $CHROMIUM), headless, at 1280x800, in a new profile directory, through playwright-core. */
export function launchChromium<T>(chromium: { launchPersistentContext(userDataDir: string, options: object): Promise<T> }): Promise<T>;
