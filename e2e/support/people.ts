// The demo people the e2e specs sign in as (lib/db/seed.ts DEMO_USERS), each their organisation's
// administrator, and the Install Code they answer with.

/** Northwind Energy (NWE), a Supplier. */
export const ALICE = "alice@northwind.example";
/** Southfield Power (SFP), a Supplier. */
export const BOB = "bob@southfield.example";
/** Eastgate Gas & Power (EGP), a Supplier. */
export const ERIN = "erin@eastgate.example";
/** The DCC Helpdesk. */
export const DANA = "dana@dcc.example";
/** ../shared/docs/DOMAIN.md's public example Install Code, with its CRC: it passes the check. */
export const LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5";
