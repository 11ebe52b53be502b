import type { INodeProperties } from 'n8n-workflow';

/** An n8n expression: the editor evaluates a subtitle of this form for every node on the canvas. */
export type SubtitleExpression = `={{${string}}}`;

/**
 * The canvas subtitle naming the chosen operation as staff read it ("Process Message"), not its
 * value (`processMessage`). The editor resolves it with the node's parameters, defaults filled in
 * (`workflow.expression.getSimpleParameterValue`); `detail` is a further expression whose text is
 * appended, e.g. the template name. An unknown value still shows, as itself.
 */
export function operationSubtitle(operation: INodeProperties, detail?: string): SubtitleExpression {
	const names = Object.fromEntries(
		(operation.options ?? []).flatMap((o) => ('value' in o ? [[String(o.value), o.name]] : [])),
	);
	// No `}}` may appear inside: n8n ends the expression at the first one.
	const value = `$parameter.operation`;
	const name = `(${JSON.stringify(names)}[${value}] ?? ${value})`;
	return `={{ ${detail ? `${name} + ${detail}` : name} }}`;
}
