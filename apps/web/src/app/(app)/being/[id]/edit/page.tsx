import type { Metadata } from 'next';
import { EditBeing } from '@/components/being/EditBeing';
import { beingIdFromParam } from '@/lib/being-id';
import { requireVisibleBeing } from '@/server/page-access';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Edit' };

export default async function Page({ params }: Props) {
  const id = beingIdFromParam((await params).id);
  await requireVisibleBeing(id);
  return <EditBeing id={id} />;
}
