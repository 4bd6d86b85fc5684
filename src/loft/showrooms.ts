// The six Georgia showrooms. showDirections and the sandbox serve these.
import type { Showroom } from './types.ts';

const hours = [
  { days: 'Monday–Saturday', open: '10:00 AM – 8:00 PM' },
  { days: 'Sunday', open: '12:00 PM – 6:00 PM' },
];

function maps(address: string, city: string, zip: string) {
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(`Woodstock Outlet ${address}, ${city}, GA ${zip}`)}`;
}

const raw: Omit<Showroom, 'maps_url' | 'state' | 'hours'>[] = [
  { id: 'woodstock', name: 'Woodstock Outlet – Woodstock', city: 'Woodstock', address: '100 Furniture Row Pkwy', zipcode: '30188', phone: '770-555-0110', lat: 34.1015, lng: -84.5194 },
  { id: 'acworth', name: 'Woodstock Outlet – Acworth', city: 'Acworth', address: '3450 Cobb Pkwy NW', zipcode: '30101', phone: '770-555-0120', lat: 34.0659, lng: -84.6769 },
  { id: 'canton', name: 'Woodstock Outlet – Canton', city: 'Canton', address: '1870 Cumming Hwy', zipcode: '30114', phone: '770-555-0130', lat: 34.2368, lng: -84.4908 },
  { id: 'cartersville', name: 'Woodstock Outlet – Cartersville', city: 'Cartersville', address: '250 Main Street Plaza', zipcode: '30120', phone: '770-555-0140', lat: 34.1651, lng: -84.7999 },
  { id: 'douglasville', name: 'Woodstock Outlet – Douglasville', city: 'Douglasville', address: '6700 Douglas Blvd', zipcode: '30135', phone: '770-555-0150', lat: 33.7515, lng: -84.7477 },
  { id: 'dallas', name: 'Woodstock Outlet – Dallas', city: 'Dallas', address: '415 Merchants Square', zipcode: '30132', phone: '770-555-0160', lat: 33.9237, lng: -84.8408 },
];

export const showrooms: Showroom[] = raw.map((s) => ({
  ...s,
  state: 'GA',
  hours,
  maps_url: maps(s.address, s.city, s.zipcode),
}));

/** The showroom a free-text place names ("the Canton store", "acworth"), if any. */
export function findShowroom(text: string): Showroom | undefined {
  const t = text.toLowerCase();
  return showrooms.find((s) => t.includes(s.id) || t.includes(s.city.toLowerCase()));
}
