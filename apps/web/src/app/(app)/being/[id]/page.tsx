import type { Metadata } from 'next';
import { BeingPage } from '@/components/being/BeingPage';
import { beingIdFromParam } from '@/lib/being-id';
import { requireVisibleBeing } from '@/server/page-access';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: beingIdFromParam((await params).id) };
}

/** `/being/@id`: a space shows its conversation; any other being shows its profile. */
export default async function Page({ params }: Props) {
  const id = beingIdFromParam((await params).id);
  const { being, signedIn, firstMessages } = await requireVisibleBeing(id);
  return <BeingPage id={id} initial={being} signedIn={signedIn} firstMessages={firstMessages} />;
}
