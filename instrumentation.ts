// Runs once when the server starts.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startEmailDispatcher } = await import("./lib/notifications/schedule");
    const { startSignInCleanup } = await import("./lib/auth/cleanup");
    startEmailDispatcher();
    startSignInCleanup();
  }
}
