/**
 * The "Thi đua" menu: a menu of its own when the script is bound to the
 * spreadsheet, the add-on's entry under Extensions when installed as an
 * add-on. onOpen may run before the add-on is authorized (AuthMode.NONE),
 * so it only builds the menu and touches no other service.
 */
import { runsAsAddOn } from "./deployment";

export const MENU: ({ label: string; fn: string } | null)[] = [
  { label: "Thiết lập / cập nhật bảng tính", fn: "menuSetup" },
  null,
  { label: "Kiểm tra số liệu", fn: "menuCheck" },
  { label: "Tải mẫu Excel", fn: "menuDownloadTemplate" },
  { label: "Nhập từ Excel", fn: "menuImport" },
  { label: "Tổng hợp", fn: "menuTongHop" },
  null,
  { label: "Tạo bản giao ước", fn: "menuPledge" },
  { label: "Ghi nhận đã ký giao ước (chốt cột Đăng ký)", fn: "menuSignPledge" },
  { label: "Xác nhận số liệu của trường", fn: "menuConfirm" },
  { label: "Mở lại số liệu của trường", fn: "menuReopenSchool" },
  { label: "Tạo báo cáo tổng kết", fn: "menuReport" },
  { label: "Khóa số liệu cuối năm", fn: "menuLockYear" },
  { label: "Mở khóa (ghi lý do)", fn: "menuUnlock" },
  { label: "Kiểm tra toàn vẹn", fn: "menuIntegrity" },
  null,
  { label: "Bình xét: tạo trang Kiểm phiếu", fn: "menuReviewSheet" },
  { label: "Bình xét: lập văn bản", fn: "menuReviewDocuments" },
  null,
  { label: "Mở năm mới", fn: "menuOpenYear" },
  { label: "Tổng kết giai đoạn", fn: "menuPeriodReview" },
  { label: "Lịch sử cụm", fn: "menuHistory" },
  null,
  { label: "Kiểm tra cấu trúc", fn: "menuStructure" },
];

export function onOpen(): void {
  const ui = SpreadsheetApp.getUi();
  const menu = runsAsAddOn() ? ui.createAddonMenu() : ui.createMenu("Thi đua");
  for (const item of MENU) {
    if (item) menu.addItem(item.label, item.fn);
    else menu.addSeparator();
  }
  menu.addToUi();
}

/** An add-on installed from the Marketplace gets its menu at once, without reopening the file. */
export function onInstall(): void {
  onOpen();
}
