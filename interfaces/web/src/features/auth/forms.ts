export { signUpAndIn } from "./api/actions";
export { AuthForm, SwitchLink } from "./components/auth-form";
