import type { FleetAccount } from './model';

/** The view message while a fleet refresh runs ("17 of 40 accounts"); none once every account answered. */
export function fleetProgressMessage(progress: { answered: number; total: number }): string | undefined {
  return progress.answered < progress.total ? `${progress.answered} of ${progress.total} accounts` : undefined;
}

/** An account row: its name and id, and which profile reaches it when several do. */
export function accountRowLabel(account: Pick<FleetAccount, 'label' | 'accountId' | 'profile' | 'alsoReachedBy'>): { label: string; description: string } {
  const also = account.alsoReachedBy.length > 0 ? ` · via ${account.profile} (also ${account.alsoReachedBy.join(', ')})` : '';
  return { label: account.label, description: `${account.accountId}${also}` };
}
