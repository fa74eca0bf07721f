import type { Metadata } from "next";
import { NOT_FOUND_TITLE, PageNotFound } from "@/components/page-not-found";

export const metadata: Metadata = { title: NOT_FOUND_TITLE };

export default function NotFound() {
  return <PageNotFound />;
}
