import type { SqlValue } from './sql-driver';
import type { Audience } from './types';

/**
 * The audience as a condition on the subscribers table (alias `s`). A filter that needs values
 * appends them to `params` and refers to them by their placeholder (`$${params.length}`).
 */
export function audienceCondition(audience: Audience, params: SqlValue[]): string {
	void params; // no filter takes values yet
	switch (audience.kind) {
		case 'everyone':
			return 'TRUE';
	}
}
