import type { Metadata } from 'next';
import { CreateSpace } from '@/components/space/CreateSpace';

export const metadata: Metadata = { title: 'New space' };

export default function Page() {
  return <CreateSpace />;
}
