export { TitlePage } from "./components/title-page";
