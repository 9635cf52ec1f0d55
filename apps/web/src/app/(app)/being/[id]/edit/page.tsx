import type { Metadata } from 'next';
import { EditBeing } from '@/components/being/EditBeing';
import { beingIdFromParam } from '@/lib/being-id';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Edit' };

export default async function Page({ params }: Props) {
  return <EditBeing id={beingIdFromParam((await params).id)} />;
}
