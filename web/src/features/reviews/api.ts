// Queries and mutations of access reviews.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ReviewCampaign,
  ReviewCampaignList,
  ReviewDecision,
  ReviewItem,
  ReviewItemPage,
  StartReview,
} from '@contracts';
import { api } from '../../api/client';

const base = (id: string) => `/api/v1/reviews/${encodeURIComponent(id)}`;

/** The page of a campaign. */
export const reviewPath = (id: string) => `/reviews/${id}`;

/** Where a closed campaign's evidence is downloaded. */
export const evidenceUrl = (id: string, format: 'csv' | 'json') => `${base(id)}/evidence?format=${format}`;

/** The campaigns I take part in (admins: all). */
export function useReviews() {
  return useQuery({
    queryKey: ['reviews'],
    queryFn: ({ signal }) => api.get<ReviewCampaignList>('/api/v1/reviews', undefined, signal),
  });
}

/** One campaign. */
export function useReview(id: string) {
  return useQuery({
    queryKey: ['reviews', id],
    queryFn: ({ signal }) => api.get<ReviewCampaign>(base(id), undefined, signal),
  });
}

/** A campaign's holdings (the first 200): mine only, or every one (admins). */
export function useReviewItems(id: string, mine: boolean) {
  return useQuery({
    queryKey: ['reviews', id, 'items', mine],
    queryFn: ({ signal }) =>
      api.get<ReviewItemPage>(`${base(id)}/items`, { limit: 200, mine: mine ? 'true' : undefined }, signal),
  });
}

/** Starts a campaign. */
export function useStartReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: StartReview) => api.post<ReviewCampaign>('/api/v1/reviews', b),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['reviews'] }),
  });
}

/** Confirms or revokes one holding. */
export function useDecide(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: ReviewDecision & { itemId: string }) =>
      api.post<ReviewItem>(`${base(id)}/items/${b.itemId}/decision`, {
        decision: b.decision,
        ...(b.comment ? { comment: b.comment } : {}),
      }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['reviews'] }),
  });
}

/** Closes a campaign into evidence. */
export function useCloseReview(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ReviewCampaign>(`${base(id)}/close`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['reviews'] }),
  });
}
