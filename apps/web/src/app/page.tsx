import { redirect } from 'next/navigation';

/** The front door is the public commons. */
export default function Home() {
  redirect('/being/@intraliminal');
}
