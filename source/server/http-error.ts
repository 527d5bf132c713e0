// Errors a handler throws to answer with a stacky error table: [["Error","Message"],[type,msg]].

export class HttpError extends Error {
  constructor(readonly status: 400 | 404 | 405 | 413, readonly type: string, message: string) {
    super(message);
  }
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, 'Bad Request', message);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, 'Not Found', message);
}

export function errorTable(e: HttpError): [string[], string[]] {
  return [['Error', 'Message'], [e.type, e.message]];
}
