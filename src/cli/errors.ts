/** The command line shares the one error type a user must act on with the Sheet side. */
export { UserError } from "../core/user-error";
