export { aboutQueries } from "./api";
export { Attribution } from "./components/attribution";
export { DemoBanner } from "./components/demo-banner";
