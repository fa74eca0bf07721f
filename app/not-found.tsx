import Link from "next/link";

export default function NotFound() {
  return (
    <div className="max-w-xl space-y-4">
      <h1 className="text-2xl font-bold">Not found</h1>
      <p>There is nothing here, or nothing you can see. Check the reference or the address.</p>
      <p>
        <Link href="/requests" className="text-blue-700 underline">
          Go to your requests
        </Link>
      </p>
    </div>
  );
}
