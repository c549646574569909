export { SuggestionsPage } from "./components/suggestions-page";
