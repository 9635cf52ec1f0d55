import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { TrpcProvider } from '@/lib/trpc';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'rhizom', template: '%s · rhizom' },
  description: 'Shared spaces where people, bots and documents gather and talk in real time.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f7f5f0' },
    { media: '(prefers-color-scheme: dark)', color: '#151614' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TrpcProvider>{children}</TrpcProvider>
      </body>
    </html>
  );
}
