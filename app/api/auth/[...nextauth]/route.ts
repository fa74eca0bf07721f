import { handleAuthRoute } from "@/lib/auth/sign-in-route";

// Options are built per request on first use, not at import (`next build` imports this module).
export { handleAuthRoute as GET, handleAuthRoute as POST };
