import type { Handlers } from '../context.ts';
import { toStorefrontListInput, toStorefrontMessage } from '../mappers/catalogue-messages.ts';
import type { GrpcUseCases } from './use-cases.ts';

/** GetStorefront, GetStorefrontBySlug, ListStorefronts (UNIMPLEMENTED in the original). */
export function storefrontHandlers({ storefronts }: Pick<GrpcUseCases, 'storefronts'>): Partial<Handlers> {
  return {
    GetStorefront: async (request, { principal }) => ({
      storefront: toStorefrontMessage(await storefronts.byId(principal, { id: request.id })),
    }),
    GetStorefrontBySlug: async (request, { principal }) => ({
      storefront: toStorefrontMessage(await storefronts.bySlug(principal, { slug: request.slug })),
    }),
    ListStorefronts: async (request, { principal }) => {
      const page = await storefronts.list(principal, toStorefrontListInput(request));
      return { storefronts: page.storefronts.map(toStorefrontMessage), total: page.total };
    },
  };
}
