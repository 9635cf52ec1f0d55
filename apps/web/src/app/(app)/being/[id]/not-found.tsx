'use client';

import { useParams } from 'next/navigation';
import { NothingHere } from '@/components/being/NothingHere';
import { beingIdFromParam } from '@/lib/being-id';

/** The 404 of a being page (missing, or private to the viewer): the page's own words, inside the app. */
export default function BeingNotFound() {
  const params = useParams<{ id: string }>();
  return <NothingHere id={beingIdFromParam(params.id ?? '')} />;
}
