import type { ReactNode } from 'react';
import './globals.css';
import { getLocale } from '@/lib/server';

export const metadata = { title: 'Unionpoint' };
export const viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
