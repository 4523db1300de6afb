import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, mutate } from '../api/client.ts';
import type { BodyOf, Organization, ResponseOf, User } from '../api/types.ts';

type LoginBody = BodyOf<'/api/v1/auth/login', 'post'>;
type SignupBody = BodyOf<'/api/v1/signup', 'post'>;
type LoginResult = ResponseOf<'/api/v1/auth/login', 'post'>;

export const meKey = ['me'] as const;

/** The signed-in person, or null when there is no session (never opens the login dialog). */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async () => {
      try {
        return await api<User>('/api/v1/users/me', { reauth: false });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
    refetchInterval: false,
  });
}

export function useOrganization() {
  return useQuery({ queryKey: ['organization'], queryFn: () => api<Organization>('/api/v1/organization'), staleTime: 5 * 60_000, refetchInterval: false });
}

/** Where a person lands after login: technicians on their phone screens, others on the desk. */
export const homeOf = (role: string | undefined): string => (role === 'technician' ? '/tech' : '/tasks');

export async function login(body: LoginBody): Promise<LoginResult> {
  return api<LoginResult>('/api/v1/auth/login', { method: 'POST', body });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: async () => {
      await qc.invalidateQueries();
    },
  });
}

/** Creates the organization, then opens a cookie session with the same credentials. */
export function useSignup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: SignupBody) => {
      await mutate('POST', '/api/v1/signup', body);
      return login({ email: body.email, password: body.password });
    },
    onSuccess: async () => {
      await qc.invalidateQueries();
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<null>('/api/v1/auth/logout', { method: 'POST', reauth: false }).catch(() => null),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(meKey, null);
    },
  });
}
