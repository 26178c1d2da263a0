// Macros: the ones the agent may use, and applying one to a ticket.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateMacro, Macro, MacroApplied, MacroList, UpdateMacro } from '@contracts';
import { api } from '../../api/client';

/** The macros the signed-in agent may use: personal first, then their teams'. */
export function useMacros(enabled = true) {
  return useQuery({
    queryKey: ['macros'],
    enabled,
    queryFn: ({ signal }) => api.get<MacroList>('/api/v1/macros', undefined, signal),
    select: (l) => l.items,
  });
}

/** Saves a macro (a canned reply when it has no changes). */
export function useCreateMacro() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateMacro) => api.post<Macro>('/api/v1/macros', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['macros'] }),
  });
}

/** Applies a macro to a ticket: its reply and its changes, all or nothing. */
export function useApplyMacro(ticketId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (macroId: string) =>
      api.post<MacroApplied>(`/api/v1/macros/${encodeURIComponent(macroId)}/apply`, { ticketId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets'] }),
  });
}

/** Changes a macro (name, reply, note or reply, field changes); its scope stays. Stale edits answer 412. */
export function useUpdateMacro() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ macro, body }: { macro: Macro; body: UpdateMacro }) =>
      api.patch<Macro>(`/api/v1/macros/${encodeURIComponent(macro.id)}`, body, `"v${macro.version}"`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['macros'] }),
  });
}

/** Deletes a macro. */
export function useDeleteMacro() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/macros/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['macros'] }),
  });
}
