import Link from 'next/link';
import { getLocale } from '@/lib/server';

export default async function NotFound() {
  const zh = (await getLocale()) === 'zh-CN';
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 p-4">
      <h1 className="text-2xl font-semibold">404</h1>
      <p className="text-slate-600">{zh ? '页面不存在。' : 'This page does not exist.'}</p>
      <Link href="/" className="text-indigo-700 underline">
        {zh ? '返回首页' : 'Back to the dashboard'}
      </Link>
    </main>
  );
}
