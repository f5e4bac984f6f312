import type { FormattedExecutionResult } from 'graphql';

/**
 * A root field's answer as the JSON text PostgreSQL built, written to the response as it is:
 * parsing it only to serialise it again cost the server about a tenth of a board's request.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** `data` with its JsonText values parsed: for a consumer that reads the answer (Apollo's response pipeline). */
export function parsedData(data: Record<string, unknown> | null | undefined): Record<string, unknown> | null | undefined {
  if (!data || !Object.values(data).some((value) => value instanceof JsonText)) return data;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, value instanceof JsonText ? JSON.parse(value.text) : value]));
}

/** A result as JSON.stringify writes it, its JsonText values written as they are. */
export function resultJson({ errors, data, extensions }: FormattedExecutionResult): string {
  const parts: string[] = [];
  if (errors !== undefined) parts.push(`"errors":${JSON.stringify(errors)}`);
  if (data !== undefined) parts.push(`"data":${dataJson(data)}`);
  if (extensions !== undefined) parts.push(`"extensions":${JSON.stringify(extensions)}`);
  return `{${parts.join(',')}}`;
}

function dataJson(data: Record<string, unknown> | null): string {
  if (data === null) return 'null';
  const members = Object.entries(data).filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${JSON.stringify(key)}:${value instanceof JsonText ? value.text : JSON.stringify(value)}`);
  return `{${members.join(',')}}`;
}
